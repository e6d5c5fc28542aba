//! `tabgov serve` as a real process for the end-to-end tests: a config
//! file naming the simulator, a token file, a free port, and a client.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tabgov::serve::tokens::new_token;
use tabgov::serve::Scope;
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{Env, PAT_NAME, PAT_SECRET};

/// A running `tabgov serve` of a test.
pub struct Served {
    pub child: tokio::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub read: String,
    pub act: String,
    pub scim: String,
    /// Everything the process wrote to stderr so far.
    pub log: Arc<Mutex<String>>,
    client: reqwest::Client,
}

/// The `[serve]` table and `[[site]]` extras of a test's config.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub every: &'static str,
    /// Lines added to `[serve]`.
    pub serve_extra: String,
    /// Lines added to the site's `[[site]]`.
    pub site_extra: String,
    /// The site's server (the simulator unless set).
    pub server: Option<String>,
    /// Extra environment of the process.
    pub env: Vec<(&'static str, &'static str)>,
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            every: "1h",
            serve_extra: String::new(),
            site_extra: String::new(),
            server: None,
            env: Vec::new(),
        }
    }
}

impl Env {
    /// Writes tabgov.toml and tokens.txt into the test's directory and
    /// starts `tabgov serve`, returning once it listens.
    pub async fn serve(&self, config: ServeConfig) -> Served {
        let (read, read_line) = new_token("reader", Scope::Read);
        let (act, act_line) = new_token("hr-feed", Scope::Act);
        let (scim, scim_line) = new_token("okta", Scope::Scim);
        let dir = self.dir.path();
        std::fs::write(
            dir.join("tokens.txt"),
            format!("{read_line}\n{act_line}\n{scim_line}\n"),
        )
        .unwrap();
        let server = config.server.unwrap_or_else(|| self.sim.base_url());
        let toml = format!(
            "[[site]]\nname = \"main\"\nserver = \"{server}\"\nsite = \"\"\npat_name = \"{PAT_NAME}\"\nevery = \"{}\"\n{}\n\n[serve]\nlisten = \"127.0.0.1:0\"\ntokens_file = \"tokens.txt\"\nretry_after = \"1s\"\nstop_grace = \"20s\"\n{}\n",
            config.every, config.site_extra, config.serve_extra
        );
        std::fs::write(dir.join("tabgov.toml"), toml).unwrap();
        self.start_serve_with(read, act, scim, &config.env).await
    }

    /// Starts `tabgov serve` on the config already in the test's
    /// directory (a restart), with the given tokens.
    pub async fn start_serve(&self, read: String, act: String, scim: String) -> Served {
        self.start_serve_with(read, act, scim, &[]).await
    }

    /// [`Env::start_serve`] with extra environment variables.
    pub async fn start_serve_with(
        &self,
        read: String,
        act: String,
        scim: String,
        extra: &[(&str, &str)],
    ) -> Served {
        let mut env = vec![
            ("TABGOV_PAT_SECRET", PAT_SECRET),
            ("TABGOV_WEBHOOK_SECRET", "webhook-secret"),
            ("RUST_LOG", "info,sqlx=error,hyper=warn,reqwest=warn"),
        ];
        env.extend_from_slice(extra);
        let mut cmd = self.command(&self.db(), &["serve"], &env);
        cmd.stderr(Stdio::piped()).stdout(Stdio::null());
        let mut child = cmd.spawn().expect("tabgov serve starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let sink = log.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            let mut tx = Some(tx);
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.split("listening on ").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(rest.split_whitespace().next().unwrap().to_owned());
                    }
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let base = match tokio::time::timeout(Duration::from_secs(30), rx).await {
            Ok(Ok(base)) => base,
            _ => panic!(
                "tabgov serve did not start:\n{}",
                log.lock().unwrap().as_str()
            ),
        };
        Served {
            child,
            base,
            read,
            act,
            scim,
            log,
            client: reqwest::Client::new(),
        }
    }
}

/// An answer: status and body (JSON when it parses).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Served {
    /// A request to `path` with `token` (none when `None`).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some((content_type, bytes)) = body {
            request = request.header("content-type", content_type).body(bytes);
        }
        let response = request.send().await.expect("the service answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        Answer {
            status,
            body,
            headers,
        }
    }

    /// GET `path` with the read token.
    pub async fn get(&self, path: &str) -> Answer {
        self.call(reqwest::Method::GET, path, Some(&self.read), None, &[])
            .await
    }

    /// POST JSON to `path` with the act token.
    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> Answer {
        let bytes = serde_json::to_vec(&body).unwrap();
        self.call(
            reqwest::Method::POST,
            path,
            Some(&self.act),
            Some(("application/json", bytes)),
            &[],
        )
        .await
    }

    /// A SCIM request to `/scim/v2/main{path}` with the scim token.
    pub async fn scim(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Answer {
        let body = body.map(|b| ("application/scim+json", serde_json::to_vec(&b).unwrap()));
        let path = format!("/scim/v2/main{path}");
        self.call(method, &path, Some(&self.scim), body, &[]).await
    }

    /// Waits until the site `main` has a successful run newer than
    /// `after` (a run id), and returns its id.
    pub async fn wait_for_success(&self, after: i64) -> i64 {
        for _ in 0..300 {
            let sites = self.get("/v1/sites").await.json();
            let success = &sites["sites"][0]["last_run"];
            if success["status"] == "succeeded" && success["id"].as_i64().unwrap() > after {
                return success["id"].as_i64().unwrap();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no successful sync; log:\n{}", self.log.lock().unwrap());
    }

    /// SIGTERM, then the exit code.
    pub async fn stop(mut self) -> i32 {
        let pid = self.child.id().expect("running") as i32;
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        let status = tokio::time::timeout(Duration::from_secs(60), self.child.wait())
            .await
            .expect("stops within a minute")
            .unwrap();
        status.code().unwrap_or(-1)
    }

    /// The log so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}
