//! Generates every spec in `specs/` into `OUT_DIR` (one file per spec).

fn main() {
    let mut specs: Vec<_> = std::fs::read_dir("specs")
        .expect("specs/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    println!("cargo:rerun-if-changed=specs");
    for spec in specs {
        if let Err(failure) = oagen::Builder::new(&spec)
            .client(true)
            .server(true)
            .tracing(true)
            // Some fixtures warn on purpose (what is not modelled).
            .print_warnings(false)
            .generate()
        {
            eprintln!("{failure}");
            std::process::exit(1);
        }
    }
}
