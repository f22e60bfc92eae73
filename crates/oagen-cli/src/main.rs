//! `oagen`: generate a Rust crate from an OpenAPI 3.0 or 3.1 spec, or check a spec.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use oagen::{EmitOptions, WriteMode};

#[derive(Parser)]
#[command(
    name = "oagen",
    version,
    about = "OpenAPI 3.0/3.1 to Rust code generator"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate that builds on its own with `cargo build`.
    Generate {
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// The folder to write the crate into (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// The crate name (default: from the spec's file name).
        #[arg(long)]
        name: Option<String>,
        /// Also emit `tests/examples.rs`, checking every example in the spec.
        #[arg(long)]
        example_tests: bool,
        /// Do not add `[workspace]` (when DIR is a member of your workspace).
        #[arg(long)]
        no_workspace: bool,
    },
    /// Load a spec and print its diagnostics; exits non-zero on errors.
    Check {
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// Also print the intermediate model (for debugging the generator).
        #[arg(long)]
        dump_model: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            spec,
            out,
            name,
            example_tests,
            no_workspace,
        } => {
            let crate_name = match name {
                Some(n) if oagen::valid_crate_name(&n) => n,
                Some(n) => {
                    eprintln!("error: `{n}` is not a valid crate name (use letters, digits and `_`, starting with a letter)");
                    return ExitCode::from(2);
                }
                None => oagen::crate_name_for(&spec),
            };
            let mut command = format!("oagen generate {} --out {}", spec.display(), out.display());
            if crate_name != oagen::crate_name_for(&spec) {
                command.push_str(&format!(" --name {crate_name}"));
            }
            let opts = EmitOptions {
                crate_name,
                crate_version: "0.1.0".into(),
                spec_label: spec.display().to_string(),
                command,
                standalone: !no_workspace,
                example_tests,
                client: true,
                server: true,
            };
            match oagen::generate_crate(&spec, &opts) {
                Ok((files, warnings)) => {
                    for w in &warnings {
                        eprintln!("{w}");
                    }
                    match oagen::write(&out, &files, WriteMode::Write) {
                        Ok(report) => {
                            eprintln!(
                                "wrote {} ({} changed, {} new, {} unchanged, {} removed)",
                                out.display(),
                                report.stale.len(),
                                report.missing.len(),
                                report.unchanged,
                                report.extra.len()
                            );
                            ExitCode::SUCCESS
                        }
                        Err(e) => {
                            eprintln!("error: cannot write {}: {e}", out.display());
                            ExitCode::FAILURE
                        }
                    }
                }
                Err(failure) => {
                    eprintln!("{failure}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { spec, dump_model } => match oagen::analyze(&spec) {
            Ok(analysis) => {
                if dump_model {
                    println!("{:#?}", analysis.api);
                }
                for w in &analysis.warnings {
                    eprintln!("{w}");
                }
                let api = &analysis.api;
                println!(
                    "{}: ok ({} operations, {} types, {} warnings)",
                    spec.display(),
                    api.operations.len(),
                    api.types.len(),
                    analysis.warnings.len()
                );
                ExitCode::SUCCESS
            }
            Err(failure) => {
                eprintln!("{failure}");
                ExitCode::FAILURE
            }
        },
    }
}
