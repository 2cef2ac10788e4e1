//! Entry point of the wasm bundle: install the panic hook and mount, nothing else.

fn main() {
    layerlab_app::start();
}
