//! Generates `specs/stream_bench.yaml` into `OUT_DIR` with client and server.

fn main() {
    if let Err(failure) = oagen::Builder::new("specs/stream_bench.yaml")
        .client(true)
        .server(true)
        .generate()
    {
        eprintln!("{failure}");
        std::process::exit(1);
    }
}
