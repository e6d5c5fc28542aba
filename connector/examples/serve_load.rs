//! A load client for `tabgov serve` (docs/benchmarks.md): N concurrent
//! clients each walk the pages of a list endpoint by its cursor, starting
//! over at the end, and the latency of every request is reported as
//! percentiles in JSON.
//!
//!   cargo run --release --example serve_load -- \
//!       --base http://127.0.0.1:8080 --token "$TOKEN" --clients 16 --requests 200

use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let base = arg(&args, "--base", "http://127.0.0.1:8080");
    let token = std::env::var("TABGOV_LOAD_TOKEN").unwrap_or_else(|_| arg(&args, "--token", ""));
    let clients: usize = arg(&args, "--clients", "16").parse()?;
    let requests: usize = arg(&args, "--requests", "200").parse()?;
    let path = arg(&args, "--path", "/v1/accounts?limit=1000");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, base, token, path) =
            (client.clone(), base.clone(), token.clone(), path.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(requests);
            let mut cursor: Option<String> = None;
            let mut items = 0usize;
            for _ in 0..requests {
                let url = match &cursor {
                    Some(c) => format!("{base}{path}&after={c}"),
                    None => format!("{base}{path}"),
                };
                let t = Instant::now();
                let response = client
                    .get(&url)
                    .bearer_auth(&token)
                    .send()
                    .await
                    .map_err(|e| format!("{url}: {e}"))?;
                let status = response.status();
                let bytes = response.bytes().await.map_err(|e| format!("{url}: {e}"))?;
                let body: serde_json::Value =
                    serde_json::from_slice(&bytes).map_err(|e| format!("{url}: {e}"))?;
                latencies.push(t.elapsed());
                if !status.is_success() {
                    return Err(format!("{url}: HTTP {status}: {body}"));
                }
                items += body["items"].as_array().map_or(0, Vec::len);
                cursor = body["next"].as_str().map(str::to_owned);
            }
            Ok::<_, String>((latencies, items))
        }));
    }
    let mut all: Vec<Duration> = Vec::new();
    let mut items = 0;
    for task in tasks {
        let (latencies, n) = task.await??;
        all.extend(latencies);
        items += n;
    }
    let elapsed = started.elapsed();
    all.sort();
    let pct = |p: f64| {
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        all[i].as_secs_f64() * 1e3
    };
    let report = serde_json::json!({
        "requests": all.len(),
        "clients": clients,
        "items": items,
        "seconds": elapsed.as_secs_f64(),
        "requests_per_second": all.len() as f64 / elapsed.as_secs_f64(),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
    });
    println!("{report}");
    Ok(())
}
