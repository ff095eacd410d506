//! Whether the desktop shows tray icons: a StatusNotifierWatcher (KDE, GNOME with the
//! AppIndicator extension, most panels) owns its name on the session bus. Without one a
//! tray icon would be invisible, so the shell keeps "closing the window quits" — which is
//! also what ends the app when a WebDriver session closes its window.

/// The well-known name of the tray host.
pub const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// True when a tray host owns [`WATCHER`] on the session bus; false with no bus, no
/// host, or any error (logged at debug level).
pub async fn tray_host_present() -> bool {
    async fn ask() -> zbus::Result<bool> {
        let connection = zbus::Connection::session().await?;
        let bus = zbus::fdo::DBusProxy::new(&connection).await?;
        Ok(bus.name_has_owner(WATCHER.try_into()?).await?)
    }
    ask().await.unwrap_or_else(|e| {
        tracing::debug!(error = %e, "cannot ask the session bus for a tray host");
        false
    })
}
