//! Tiny servers on 127.0.0.1 for hostile-server tests: one that answers each request
//! with a canned response, and one that only records connections (another origin, that
//! must never hear from the app).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// A canned response: status line, extra headers.
pub struct Canned {
    pub status: &'static str,
    pub headers: Vec<(String, String)>,
}

impl Canned {
    pub fn new(status: &'static str) -> Canned {
        Canned {
            status,
            headers: Vec::new(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Canned {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// A request as the canned server saw it (its body is read and dropped).
pub struct Request {
    pub method: String,
    pub path: String,
    head: String,
}

impl Request {
    /// The value of header `name`, if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

type Answer = dyn Fn(&Request) -> Canned + Send + Sync;

/// An HTTP/1.1 server answering each request with `answer(request)`; remembers each
/// request line.
pub struct CannedServer {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
}

impl CannedServer {
    pub async fn start(answer: impl Fn(&Request) -> Canned + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let answer: Arc<Answer> = Arc::new(answer);
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, answer.clone(), log.clone()));
            }
        });
        CannedServer { addr, seen }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The request lines received so far (`METHOD /path`).
    pub fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

/// One connection: each request's head and body are read, then answered.
async fn serve(mut stream: TcpStream, answer: Arc<Answer>, seen: Arc<Mutex<Vec<String>>>) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let mut words = head.split_whitespace();
        let request = Request {
            method: words.next().unwrap_or_default().to_string(),
            path: words.next().unwrap_or_default().to_string(),
            head: head.clone(),
        };
        let body_len: usize = request
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        // Read the whole body, so answering early does not reset the connection.
        while buf.len() < head_end + body_len {
            let mut chunk = [0u8; 65536];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + body_len);
        seen.lock()
            .unwrap()
            .push(format!("{} {}", request.method, request.path));
        let canned = answer(&request);
        let mut out = format!(
            "HTTP/1.1 {}\r\nTus-Resumable: 1.0.0\r\nContent-Length: 0\r\n",
            canned.status
        );
        for (k, v) in &canned.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        if stream.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// A listener that answers nothing and counts the connections it accepts: an origin
/// the app must never contact.
pub struct Recorder {
    pub addr: SocketAddr,
    /// The accept index of our own last connection, once seen.
    ours: Arc<Mutex<Option<usize>>>,
}

const SENTINEL: &[u8] = b"SENTINEL";

impl Recorder {
    pub async fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let ours = Arc::new(Mutex::new(None));
        let found = ours.clone();
        tokio::spawn(async move {
            let mut index = 0;
            while let Ok((mut stream, _)) = listener.accept().await {
                let (found, at) = (found.clone(), index);
                index += 1;
                tokio::spawn(async move {
                    let mut first = vec![0u8; SENTINEL.len()];
                    if stream.read_exact(&mut first).await.is_ok() && first == SENTINEL {
                        *found.lock().unwrap() = Some(at);
                    }
                    // Held open and never answered.
                    tokio::time::sleep(Duration::from_secs(120)).await;
                });
            }
        });
        Recorder { addr, ours }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// How many connections reached this listener so far. A last connection of our
    /// own is accepted after every earlier one (the accept queue is first in, first
    /// out): its index is that count, final once it is seen.
    pub async fn connections_so_far(&self) -> usize {
        let mut mine = TcpStream::connect(self.addr).await.unwrap();
        mine.write_all(SENTINEL).await.unwrap();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(at) = *self.ours.lock().unwrap() {
                return at;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the recorder must see our own connection"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// The answer of a plain tus 1.0 server to OPTIONS (creation and termination, no
/// checksum).
pub fn tus_options() -> Canned {
    Canned::new("204 No Content")
        .header("Tus-Version", "1.0.0")
        .header("Tus-Extension", "creation,termination")
}
