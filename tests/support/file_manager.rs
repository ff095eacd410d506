//! A fake `org.freedesktop.FileManager1` (what Files, Dolphin and Nemo serve): records
//! each `ShowItems` call, the D-Bus call "Show in folder" makes through the opener plugin.

use std::sync::{Arc, Mutex};

type Calls = Arc<Mutex<Vec<Vec<String>>>>;

struct Server(Calls);

#[zbus::interface(name = "org.freedesktop.FileManager1")]
impl Server {
    fn show_items(&self, uris: Vec<String>, _startup_id: String) {
        self.0.lock().unwrap().push(uris);
    }

    fn show_folders(&self, uris: Vec<String>, _startup_id: String) {
        self.0.lock().unwrap().push(uris);
    }
}

/// The running fake file manager; dropping it releases the name.
pub struct FakeFileManager {
    calls: Calls,
    _conn: zbus::Connection,
}

impl FakeFileManager {
    /// Owns `org.freedesktop.FileManager1` on the bus at `address`.
    pub async fn start_at(address: &str) -> FakeFileManager {
        let calls = Calls::default();
        let conn = zbus::connection::Builder::address(address)
            .name("org.freedesktop.FileManager1")
            .serve_at("/org/freedesktop/FileManager1", Server(calls.clone()))
            .build()
            .await
            .expect("the fake file manager owns its name on the private bus");
        FakeFileManager { calls, _conn: conn }
    }

    /// The URIs of every `ShowItems` / `ShowFolders` call so far.
    pub fn shown(&self) -> Vec<Vec<String>> {
        self.calls.lock().unwrap().clone()
    }
}
