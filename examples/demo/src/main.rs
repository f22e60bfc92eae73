//! `oagen-demo serve <api> --listen <addr>` and `oagen-demo call <api> <operationId> ...`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "oagen-demo",
    about = "Serve or call the five seed APIs with oagen's generated code"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the generated server of <api> with an in-memory implementation.
    Serve {
        /// px0, ampersand, trieve, partoo or devin.
        api: String,
        /// The address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
    },
    /// Call <operationId> of <api> with the generated client; prints one JSON line.
    Call {
        /// px0, ampersand, trieve, partoo or devin.
        api: String,
        /// The operationId.
        operation_id: String,
        /// The server's base URL (with its base path, e.g. http://127.0.0.1:8080/v1).
        #[arg(long)]
        base_url: String,
        /// The security scheme to send the credential with (default: the first the operation allows).
        #[arg(long)]
        scheme: Option<String>,
        /// The credential.
        #[arg(long, default_value = oagen_demo::SECRET)]
        credential: String,
        /// The request body, as JSON.
        #[arg(long)]
        body: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve { api, listen } => {
            let Some(router) = oagen_demo::router(&api) else {
                eprintln!(
                    "unknown api `{api}`; one of {}",
                    oagen_demo::APIS.join(", ")
                );
                return ExitCode::from(2);
            };
            let listener = match tokio::net::TcpListener::bind(&listen).await {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("cannot listen on {listen}: {e}");
                    return ExitCode::FAILURE;
                }
            };
            eprintln!("serving {api} on http://{listen}");
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            match axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("server error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Call {
            api,
            operation_id,
            base_url,
            scheme,
            credential,
            body,
        } => {
            match oagen_demo::call(
                &api,
                &operation_id,
                &base_url,
                scheme.as_deref(),
                &credential,
                &body,
            )
            .await
            {
                Ok(answer) => {
                    println!(
                        "{{\"status\": {}, \"body\": {}}}",
                        answer.status, answer.body
                    );
                    ExitCode::SUCCESS
                }
                Err(oagen_demo::CallError::Usage(m)) => {
                    eprintln!("{m}");
                    ExitCode::from(2)
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
