//! Generates the transfer fixture (`../feature-tests/specs/transfer.yaml`) into `OUT_DIR`, client and server.

fn main() {
    let spec = std::path::Path::new("../feature-tests/specs/transfer.yaml");
    if let Err(failure) = oagen::Builder::new(spec)
        .client(true)
        .server(true)
        .generate()
    {
        eprintln!("{failure}");
        std::process::exit(1);
    }
}
