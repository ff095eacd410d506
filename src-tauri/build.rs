//! Runs tauri-build against the workspace-root `tauri.conf.json` (the design card keeps it
//! there) and checks that the UI has been built, with a clear message when it has not.

use std::path::Path;

fn main() {
    // Read at run time, not with env!(): a build script binary cached in a shared target
    // dir may have been compiled for a clone at another path.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let manifest_dir = Path::new(&manifest_dir);
    let root = manifest_dir
        .parent()
        .expect("src-tauri lives inside the workspace root");
    let dist = root.join("ui/dist/index.html");
    if !dist.exists() {
        panic!(
            "the UI is not built: {} is missing. Run `npm --prefix ui ci && npm --prefix ui run build` first.",
            dist.display()
        );
    }
    println!(
        "cargo:rerun-if-changed={}",
        root.join("tauri.conf.json").display()
    );
    println!("cargo:rerun-if-changed={}", root.join("ui/dist").display());
    // tauri-build resolves tauri.conf.json and its relative paths from the current directory.
    std::env::set_current_dir(root).expect("cannot enter the workspace root");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
