//! `magic-api-mock [--port N] [--seed-examples | --stateless]`: serves the mock on
//! `127.0.0.1` until interrupted. The first line on standard output is the base URL, for
//! `CLOUDFLARE_BASE_URL`.

use std::process::ExitCode;

use magic_api_mock::{MOCK_TOKEN, MockServer};

const USAGE: &str = "usage: magic-api-mock [--port N] [--seed-examples | --stateless]\n\
    \n  --port N          port on 127.0.0.1 (default 8787; 0 picks a free one)\
    \n  --seed-examples   start every collection with its documented list example\
    \n  --stateless       answer every valid request with its documented example";

fn main() -> ExitCode {
    let mut port: u16 = 8787;
    let mut builder = MockServer::builder();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => match args.next().map(|p| p.parse::<u16>()) {
                Some(Ok(p)) => port = p,
                _ => return usage("--port takes a number from 0 to 65535"),
            },
            "--seed-examples" => builder = builder.seed_examples(),
            "--stateless" => builder = builder.stateless(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    // The spec is parsed before the port is bound, so a bad build says so first.
    if let Err(e) = magic_api_mock::spec::build() {
        eprintln!("magic-api-mock: the compiled-in spec does not parse:\n{e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("magic-api-mock: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let mock = match builder.port(port).start().await {
            Ok(mock) => mock,
            Err(e) => {
                eprintln!("magic-api-mock: cannot listen on 127.0.0.1:{port}: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!("{}", mock.base_url());
        eprintln!(
            "magic-api-mock: serving {} operations ({:?}); try\n  \
             CLOUDFLARE_BASE_URL={} CLOUDFLARE_API_TOKEN={MOCK_TOKEN} <your program>\n\
             Ctrl-C stops it.",
            mock.ir().operations.len(),
            mock.mode(),
            mock.base_url(),
        );
        // Standard output may be a pipe the parent reads the URL from.
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        std::future::pending::<()>().await;
        ExitCode::SUCCESS
    })
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("magic-api-mock: {problem}\n{USAGE}");
    ExitCode::from(2)
}
