//! `magic-api-mock`: serves the mock on `127.0.0.1` until interrupted (see [`USAGE`]). The
//! first line on standard output is the base URL, for `CLOUDFLARE_BASE_URL`. It runs on a
//! multi-threaded runtime, so one large request never holds the others.

use std::process::ExitCode;
use std::time::Duration;

use magic_api_mock::{MOCK_TOKEN, MockBuilder, MockServer};

const USAGE: &str = "usage: magic-api-mock [--port N] [--seed-examples | --stateless] [--fail SCRIPT]...\n\
    \x20                     [--objects FILE] [--log-limit N] [--idle-timeout SECS] [--body-limit BYTES]\n\
    \n  --port N            port on 127.0.0.1 (default 8787; 0 picks a free one)\
    \n  --seed-examples     start every collection with its documented list example\
    \n  --stateless         answer every valid request with its documented example\
    \n  --fail SCRIPT       script a fault, `METHOD /template=FAULT[xN]`: FAULT is a status from\
    \n                      400 to 599, `drop`, `truncate` or `delay:<N>ms`; `xN` for the next N\
    \n                      requests only, else every one (repeatable)\
    \n  --objects FILE      seed objects: {\"path\": \"/accounts/…/magic/apps\", \"objects\": [...]},\
    \n                      or a list of those (repeatable)\
    \n  --log-limit N       requests the log keeps, the newest (default 10000; 0 keeps none)\
    \n  --idle-timeout SECS close a connection whose request head or body does not arrive in time\
    \n                      (default 30)\
    \n  --body-limit BYTES  refuse larger request bodies with 413 (default 8388608)\
    \n\nWhile it runs, /__mock/requests (GET, DELETE), /__mock/faults (POST, DELETE) and\
    \n/__mock/objects (POST) control it; see the crate's README.";

/// What the command line asks for.
struct Options {
    builder: MockBuilder,
    port: u16,
    faults: Vec<String>,
    objects: Vec<String>,
}

/// Reads the arguments; `Err` is the message to print (and `Ok(None)`: `--help` was printed).
fn parse(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        builder: MockServer::builder(),
        port: 8787,
        faults: Vec::new(),
        objects: Vec::new(),
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().ok_or_else(|| format!("`{arg}` takes {what}"));
        let number = |text: String, what: &str| {
            text.parse::<u64>()
                .map_err(|_| format!("`{arg}` takes {what}, got `{text}`"))
        };
        match arg.as_str() {
            "--port" => {
                let text = value("a port")?;
                options.port = u16::try_from(number(text, "a number from 0 to 65535")?)
                    .map_err(|_| "--port takes a number from 0 to 65535".to_owned())?;
            }
            "--seed-examples" => options.builder = options.builder.seed_examples(),
            "--stateless" => options.builder = options.builder.stateless(),
            "--fail" => {
                let script = value("a fault script")?;
                // Checked now, so a typo fails before the port is bound.
                script.parse::<magic_api_mock::FaultScript>()?;
                options.faults.push(script);
            }
            "--objects" => options.objects.push(value("a file")?),
            "--log-limit" => {
                let n = number(value("a number")?, "a number")?;
                options.builder = options.builder.log_limit(n as usize);
            }
            "--idle-timeout" => {
                let secs = number(value("seconds")?, "a number of seconds")?;
                options.builder = options
                    .builder
                    .idle_timeout(Duration::from_secs(secs.max(1)));
            }
            "--body-limit" => {
                let bytes = number(value("bytes")?, "a number of bytes")?;
                options.builder = options.builder.body_limit(bytes as usize);
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
}

/// Applies the scripted faults and the seeded objects.
fn prepare(mock: &MockServer, faults: &[String], objects: &[String]) -> Result<(), String> {
    for script in faults {
        mock.script(script).map_err(|e| format!("--fail: {e}"))?;
    }
    for file in objects {
        let text = std::fs::read_to_string(file).map_err(|e| format!("--objects `{file}`: {e}"))?;
        mock.seed_json(&text)
            .map_err(|e| format!("--objects `{file}`: {e}"))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => return ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("magic-api-mock: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The spec is parsed before the port is bound, so a bad build says so first.
    if let Err(e) = magic_api_mock::spec::build() {
        eprintln!("magic-api-mock: the compiled-in spec does not parse:\n{e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
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
        let port = options.port;
        let mock = match options.builder.port(port).start().await {
            Ok(mock) => mock,
            Err(e) => {
                eprintln!("magic-api-mock: cannot listen on 127.0.0.1:{port}: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = prepare(&mock, &options.faults, &options.objects) {
            eprintln!("magic-api-mock: {e}");
            return ExitCode::from(2);
        }
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
