//! The handful of W3C WebDriver calls the E2E tests need, over reqwest.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use base64::Engine;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    http: reqwest::Client,
    base: String,
    id: String,
}

impl Session {
    /// Opens a session on tauri-driver at `port`, launching `application`. The driver may
    /// not be listening yet, and the first request after start sometimes drops: retry.
    pub async fn start(port: u16, application: &std::path::Path) -> anyhow::Result<Session> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()?;
        let base = format!("http://127.0.0.1:{port}");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application}
        }}});
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let attempt = http
                .post(format!("{base}/session"))
                .json(&caps)
                .send()
                .await;
            match attempt {
                Ok(resp) => {
                    let body: Value = resp.json().await?;
                    let id = body["value"]["sessionId"]
                        .as_str()
                        .ok_or_else(|| anyhow!("no session id in {body}"))?
                        .to_string();
                    return Ok(Session { http, base, id });
                }
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => return Err(e).context("tauri-driver never accepted a session"),
            }
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let url = format!("{}/session/{}{}", self.base, self.id, path);
        let mut last = None;
        for _ in 0..5 {
            let mut req = self.http.request(method.clone(), &url);
            if let Some(b) = &body {
                req = req.json(b);
            }
            match req.send().await {
                Ok(resp) => {
                    let status = resp.status();
                    let v: Value = resp.json().await?;
                    if !status.is_success() {
                        bail!("{method} {path}: {status} {}", v["value"]);
                    }
                    return Ok(v["value"].clone());
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        Err(last.map_or_else(|| anyhow!("no attempt"), anyhow::Error::from))
    }

    /// Ids of the elements matching a CSS selector (possibly none).
    pub async fn find_all(&self, css: &str) -> anyhow::Result<Vec<String>> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/elements",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The element's rendered text (`innerText`, trimmed). WebKitWebDriver's own "Get
    /// Element Text" answers "" inside the Tauri webview, so this asks the page.
    pub async fn text(&self, element: &str) -> anyhow::Result<String> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({"script": "return arguments[0].innerText.trim();", "args": [{ELEMENT_KEY: element}]})),
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub async fn attribute(&self, element: &str, name: &str) -> anyhow::Result<Option<String>> {
        let v = self
            .call(
                reqwest::Method::GET,
                &format!("/element/{element}/attribute/{name}"),
                None,
            )
            .await?;
        Ok(v.as_str().map(str::to_string))
    }

    pub async fn click(&self, element: &str) -> anyhow::Result<()> {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/click"),
            Some(json!({})),
        )
        .await?;
        Ok(())
    }

    /// Runs JavaScript in the page and returns its value.
    pub async fn execute(&self, script: &str) -> anyhow::Result<Value> {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
        .await
    }

    /// Text of the first element matching `css`, once there is one (waits up to `timeout`).
    pub async fn wait_text(&self, css: &str, timeout: Duration) -> anyhow::Result<String> {
        let first = self.wait_first(css, timeout).await?;
        self.text(&first).await
    }

    /// The first element matching `css`, once there is one (waits up to `timeout`).
    pub async fn wait_first(&self, css: &str, timeout: Duration) -> anyhow::Result<String> {
        self.wait_for(&format!("an element matching {css}"), timeout, || async {
            Ok(self.find_all(css).await?.first().cloned())
        })
        .await
    }

    /// Types `text` into the field matching `css` as the page sees typing: its value set
    /// and an `input` event sent (waits up to 10 s for the field).
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        self.wait_first(css, Duration::from_secs(10)).await?;
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({
                "script": "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                           el.dispatchEvent(new Event('input', { bubbles: true })); return true;",
                "args": [css, text],
            })),
        )
        .await?;
        Ok(())
    }

    /// Presses and releases one key where the focus is, as a keyboard does (WebDriver
    /// actions; `key` is a character or a WebDriver key code such as `"\u{E00C}"`, Escape).
    pub async fn press(&self, key: &str) -> anyhow::Result<()> {
        self.call(
            reqwest::Method::POST,
            "/actions",
            Some(json!({"actions": [{
                "type": "key",
                "id": "keyboard",
                "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}],
            }]})),
        )
        .await?;
        Ok(())
    }

    /// Picks `value` in the select matching `css` the way a user's choice does: its value
    /// set and a `change` event sent (waits up to 10 s for the select).
    pub async fn choose(&self, css: &str, value: &str) -> anyhow::Result<()> {
        self.wait_first(css, Duration::from_secs(10)).await?;
        let picked = self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({
                "script": "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                           el.dispatchEvent(new Event('change', { bubbles: true })); return el.value === arguments[1];",
                "args": [css, value],
            })),
        )
        .await?;
        anyhow::ensure!(
            picked.as_bool() == Some(true),
            "{css} has no option {value}"
        );
        Ok(())
    }

    /// Polls `probe` until it returns Some, or fails after `timeout` with `what`.
    pub async fn wait_for<T, F, Fut>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: F,
    ) -> anyhow::Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = probe().await? {
                return Ok(v);
            }
            if Instant::now() > deadline {
                bail!("timed out after {timeout:?} waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Saves a PNG of the window. WebKitWebDriver's screenshot waits for the next paint,
    /// which never comes on a page that is not changing, so the page is nudged with
    /// invisible style changes for about a second first.
    pub async fn screenshot(&self, path: &std::path::Path) -> anyhow::Result<()> {
        const NUDGE: &str = "let n = 0; const tick = () => { \
            document.body.style.opacity = n++ % 2 ? '0.999' : '1'; \
            if (n < 60) requestAnimationFrame(tick); else document.body.style.opacity = ''; }; \
            requestAnimationFrame(tick); return true;";
        self.execute(NUDGE).await?;
        let v = self.call(reqwest::Method::GET, "/screenshot", None).await?;
        let png =
            base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap_or_default())?;
        std::fs::write(path, png)?;
        Ok(())
    }

    /// The window's position and size: (x, y, width, height).
    pub async fn window_rect(&self) -> anyhow::Result<(i64, i64, i64, i64)> {
        let v = self
            .call(reqwest::Method::GET, "/window/rect", None)
            .await?;
        let n = |k: &str| v[k].as_f64().map(|f| f.round() as i64);
        match (n("x"), n("y"), n("width"), n("height")) {
            (Some(x), Some(y), Some(w), Some(h)) => Ok((x, y, w, h)),
            _ => bail!("no window rect in {v}"),
        }
    }

    /// Moves and resizes the window.
    pub async fn set_window_rect(
        &self,
        x: i64,
        y: i64,
        width: i64,
        height: i64,
    ) -> anyhow::Result<()> {
        let rect = json!({"x": x, "y": y, "width": width, "height": height});
        self.call(reqwest::Method::POST, "/window/rect", Some(rect))
            .await?;
        Ok(())
    }

    pub async fn close(self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.id))
            .send()
            .await;
    }
}
