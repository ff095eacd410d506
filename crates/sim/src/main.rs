//! `sellerdesk-sim`: the marketplace simulator as a standalone server, for manual play
//! and for pointing the app at with SELLERDESK_API_URL / SELLERDESK_API_TOKEN.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use sellerdesk_sim::SimConfig;

const USAGE: &str = "usage: sellerdesk-sim [--addr 127.0.0.1:8787] [--profile fiverr|podcasterpros|crackerjack|izea|hostjane] [--token TOKEN] [--no-demo-data]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let mut config = SimConfig::demo(chrono::Utc::now());
    let mut addr: SocketAddr = "127.0.0.1:8787".parse()?;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--addr" => addr = value()?.parse().context("--addr must be ip:port")?,
            "--profile" => config.profile_id = value()?,
            "--token" => config.token = value()?,
            "--no-demo-data" => config.demo_data = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let sim = sellerdesk_sim::spawn(config, addr).await?;
    println!("listening on {}", sim.base_url());
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    sim.shutdown().await;
    Ok(())
}
