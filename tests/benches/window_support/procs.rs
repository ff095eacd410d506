//! The app's processes as /proc shows them: the app started from a binary and its WebKit
//! children, their RSS and PSS, for the window bench's idle-memory figure.

use std::path::Path;

/// (pid, parent pid, command name) of every process.
fn processes() -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ..."; comm may hold spaces: split at the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let ppid = stat[close + 2..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        out.push((pid, ppid, comm));
    }
    out
}

/// The app process started from `binary` and its descendants (WebKit's processes).
pub fn app_tree(binary: &Path) -> Vec<(u32, String)> {
    let all = processes();
    let Some(root) = all.iter().find(|(pid, _, _)| {
        std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary)
    }) else {
        return Vec::new();
    };
    let mut tree = vec![(root.0, root.2.clone())];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i].0;
        tree.extend(
            all.iter()
                .filter(|(_, ppid, _)| *ppid == parent)
                .map(|(pid, _, comm)| (*pid, comm.clone())),
        );
        i += 1;
    }
    tree
}

pub fn kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// When process `pid` started, in ms since the Unix epoch: now, less its age (the
/// system's uptime less the process's start in clock ticks since boot; both at 10 ms
/// resolution). Not `btime`, which is whole seconds.
pub fn started_epoch_ms(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    // Fields after "(comm)" start at field 3 (state); starttime is field 22.
    let ticks: f64 = stat[stat.rfind(')')? + 2..]
        .split_whitespace()
        .nth(19)?
        .parse()
        .ok()?;
    let hz: f64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0);
    Some((now - (uptime - ticks / hz)) * 1e3)
}
