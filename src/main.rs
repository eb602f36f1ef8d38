//! Entry point: mount the app on `<body>` (Trunk loads this as the wasm bundle).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(stenogram::App);
}
