//! The service's documents name every route the router serves: the
//! OpenAPI file has a path for each, docs/serve.md a line.

use std::path::Path;

fn read(relative: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(relative)).unwrap()
}

/// The paths of `.route("...")` in the router's source.
fn routes() -> Vec<String> {
    let source = read("connector/src/serve/router.rs");
    source
        .split(".route(\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[test]
fn every_route_is_in_the_openapi_file_and_the_guide() {
    let routes = routes();
    assert!(routes.len() >= 10, "{routes:?}");
    let openapi = read("docs/openapi.yaml");
    let guide = read("docs/serve.md");
    for route in &routes {
        assert!(
            openapi.contains(&format!("\n  {route}:\n")),
            "{route} in docs/openapi.yaml"
        );
        assert!(
            guide.contains(&format!(" {route}`")),
            "{route} in docs/serve.md"
        );
    }
    let documented = openapi.matches("\n  /").count();
    assert_eq!(
        documented,
        routes.len(),
        "no path documented that is not served"
    );
}
