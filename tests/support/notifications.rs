//! A fake `org.freedesktop.Notifications` server (zbus): records every notification it
//! is asked to show and emits the signals a real server sends when the user clicks a
//! button or dismisses the notification. The notification crate's tests run it on their
//! own session bus; the E2E tests on the private bus of the window under test.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use zbus::object_server::SignalEmitter;
use zbus::{OwnedVariant, Variant};

const NAME: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";

/// One `Notify` call, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub id: u32,
    pub app_name: String,
    pub summary: String,
    pub body: String,
    /// Flat (key, label) pairs, as on the wire.
    pub actions: Vec<String>,
    /// Hint values as text ("x-sellerdesk.request", urgency "2").
    pub hints: BTreeMap<String, String>,
    pub expire_timeout: i32,
}

#[derive(Default)]
struct Book {
    shown: Vec<Shown>,
    closed: Vec<u32>,
    next_id: u32,
}

struct Server(Arc<Mutex<Book>>);

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "fake".into(),
            "sellerdesk tests".into(),
            "0".into(),
            "1.2".into(),
        )
    }

    #[allow(clippy::too_many_arguments)] // the freedesktop method's signature
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedVariant>,
        expire_timeout: i32,
    ) -> u32 {
        let mut book = self.0.lock().unwrap();
        book.next_id += 1;
        let id = book.next_id;
        let hints = hints.iter().map(|(k, v)| (k.clone(), text(v))).collect();
        book.shown.push(Shown {
            id,
            app_name,
            summary,
            body,
            actions,
            hints,
            expire_timeout,
        });
        id
    }

    async fn close_notification(
        &self,
        id: u32,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) -> zbus::fdo::Result<()> {
        self.0.lock().unwrap().closed.push(id);
        // Reason 3: closed by a call to CloseNotification.
        Self::notification_closed(&emitter, id, 3).await?;
        Ok(())
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(
        emitter: &SignalEmitter<'_>,
        id: u32,
        reason: u32,
    ) -> zbus::Result<()>;
}

fn text(v: &Variant<'_>) -> String {
    match v {
        Variant::Str(s) => s.to_string(),
        Variant::U8(b) => b.to_string(),
        Variant::Bool(b) => b.to_string(),
        Variant::I32(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// The running fake server; dropping it releases the name.
pub struct FakeServer {
    book: Arc<Mutex<Book>>,
    conn: zbus::Connection,
}

impl FakeServer {
    /// Owns `org.freedesktop.Notifications` on the session bus.
    pub fn start() -> FakeServer {
        zbus::block_on(FakeServer::serve(zbus::connection::Builder::session()))
    }

    /// Owns `org.freedesktop.Notifications` on the bus at `address` (before the app
    /// starts, so its first notification reaches this server).
    pub async fn start_at(address: &str) -> FakeServer {
        FakeServer::serve(zbus::connection::Builder::address(address)).await
    }

    async fn serve(builder: zbus::connection::Builder<'_>) -> FakeServer {
        let book = Arc::new(Mutex::new(Book::default()));
        let conn = builder
            .name(NAME)
            .serve_at(PATH, Server(book.clone()))
            .build()
            .await
            .expect("the fake server owns org.freedesktop.Notifications on the private bus");
        FakeServer { book, conn }
    }

    pub fn shown(&self) -> Vec<Shown> {
        self.book.lock().unwrap().shown.clone()
    }

    /// Waits until `n` notifications were shown (at most 10 s).
    pub fn wait_for(&self, n: usize) -> Vec<Shown> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let shown = self.shown();
            if shown.len() >= n || Instant::now() > deadline {
                return shown;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The user pressed the button `key` (or clicked the body: "default").
    pub fn invoke(&self, id: u32, key: &str) {
        zbus::block_on(self.press(id, key));
    }

    /// [`FakeServer::invoke`] from async code.
    pub async fn press(&self, id: u32, key: &str) {
        Server::action_invoked(&self.emitter(), id, key)
            .await
            .unwrap();
    }

    /// The user dismissed the notification (reason 2).
    pub fn dismiss(&self, id: u32) {
        zbus::block_on(Server::notification_closed(&self.emitter(), id, 2)).unwrap();
    }

    fn emitter(&self) -> SignalEmitter<'static> {
        SignalEmitter::new(&self.conn, PATH).unwrap()
    }
}
