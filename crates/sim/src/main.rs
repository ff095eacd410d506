//! `sellerdesk-sim`: the marketplace simulator as a standalone server, for manual play
//! and for pointing the app at with SELLERDESK_API_URL / SELLERDESK_API_TOKEN.

use std::io::IsTerminal;
use std::net::SocketAddr;

use anyhow::{Context, bail};
use sellerdesk_sim::SimConfig;

const USAGE: &str = "usage: sellerdesk-sim [--addr 127.0.0.1:8787] \
[--profile fiverr|podcasterpros|crackerjack|izea|hostjane] [--token TOKEN] [--no-demo-data] [--buyer]";

const DEFAULT_ADDR: &str = "127.0.0.1:8787";

/// What the command line asks for; `None` = print usage and exit.
#[derive(Debug)]
struct Args {
    addr: SocketAddr,
    config: SimConfig,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> anyhow::Result<Option<Args>> {
    let mut config = SimConfig::demo(chrono::Utc::now());
    let mut addr: SocketAddr = DEFAULT_ADDR.parse()?;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .with_context(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--addr" => {
                let raw = value()?;
                addr = raw
                    .parse()
                    .with_context(|| format!("--addr must be IP:PORT, got {raw:?}"))?;
            }
            "--profile" => config.profile_id = value()?,
            "--token" => config.token = value()?,
            "--no-demo-data" => config.demo_data = false,
            "--buyer" => config.buyer = true,
            "-h" | "--help" => return Ok(None),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    Ok(Some(Args { addr, config }))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let Some(Args { addr, config }) = parse_args(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let sim = sellerdesk_sim::spawn(config, addr).await?;
    println!("listening on {}", sim.base_url());
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    tracing::info!("Ctrl-C: stopping");
    sim.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Option<Args>> {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn flags_set_address_profile_token_and_demo_data() {
        // (args, addr, profile, token, demo data)
        let cases: [(&[&str], &str, &str, &str, bool); 3] = [
            (&[], DEFAULT_ADDR, "fiverr", "demo-token", true),
            (
                &[
                    "--addr",
                    "127.0.0.1:0",
                    "--profile",
                    "hostjane",
                    "--token",
                    "dev-token",
                ],
                "127.0.0.1:0",
                "hostjane",
                "dev-token",
                true,
            ),
            (
                &["--no-demo-data", "--profile", "izea"],
                DEFAULT_ADDR,
                "izea",
                "demo-token",
                false,
            ),
        ];
        for (argv, addr, profile, token, demo) in cases {
            let args = parse(argv).unwrap().expect("not a help request");
            assert_eq!(
                args.addr,
                addr.parse::<SocketAddr>().unwrap(),
                "addr from {argv:?}"
            );
            assert_eq!(args.config.profile_id, profile, "profile from {argv:?}");
            assert_eq!(args.config.token, token, "token from {argv:?}");
            assert_eq!(args.config.demo_data, demo, "demo data from {argv:?}");
            assert!(
                !args.config.buyer,
                "buyers act only when scripted by default"
            );
        }
        let playing = parse(&["--buyer"]).unwrap().expect("not a help request");
        assert!(playing.config.buyer, "--buyer lets the seeded buyers act");
    }

    #[test]
    fn bad_command_lines_are_refused_with_a_reason() {
        let cases: [(&[&str], &str); 4] = [
            (&["--addr"], "--addr needs a value"),
            (&["--addr", "localhost"], "--addr must be IP:PORT"),
            (&["--port", "1"], "unknown argument \"--port\""),
            (&["--token"], "--token needs a value"),
        ];
        for (argv, reason) in cases {
            let err = parse(argv).expect_err("must be refused").to_string();
            assert!(
                err.contains(reason),
                "{argv:?} must say {reason:?}, said {err:?}"
            );
        }
        assert!(
            parse(&["--help"]).unwrap().is_none(),
            "--help asks for the usage text"
        );
    }
}
