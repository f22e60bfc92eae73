//! Generates the Devin API's types into `OUT_DIR` with oagen's build-script API.

fn main() {
    // Prints `cargo:rerun-if-changed=../../specs/devin.yaml`, so editing the spec
    // regenerates; the output file is rewritten only when its contents change.
    // The client too, without tracing spans (`Builder::tracing` is off).
    if let Err(failure) = oagen::Builder::new("../../specs/devin.yaml")
        .client(true)
        .generate()
    {
        eprintln!("{failure}");
        std::process::exit(1);
    }
}
