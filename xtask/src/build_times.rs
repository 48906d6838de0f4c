//! `cargo xtask build-times [--runs N] [--cold-runs N] [--against <git-rev>]`: what building the
//! crate costs, measured as a user and a maintainer feel it, and printed as figures (never
//! asserted: this machine is noisy, so compare ratios measured in one run).
//!
//! - the `magic-api` crate rebuilt after touching the generated code, dev and release;
//! - a downstream program written like a user's (`xtask/bench-app`: a list, a create with a body
//!   from a builder, a stream, a get and a download to a file), its release rebuild after
//!   touching its `main.rs` and the size of its stripped release binary (what the generic code
//!   a user's program instantiates costs it);
//! - a cold dev build of the crate with all its dependencies;
//! - the crate's LLVM IR lines (release), its dependency count (`cargo tree`), and the
//!   `cargo build --timings` split of the release rebuild into front end and code generation.
//!
//! With `--against <rev>`, the same figures for that revision are measured in a git worktree
//! (under `target/build-times/`), alternating with this checkout's, and printed side by side
//! with the ratio.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// Options from the command line.
pub struct Options {
    /// Timed runs per rebuild figure.
    pub runs: usize,
    /// Timed runs of the cold build (each a fresh target directory).
    pub cold_runs: usize,
    /// A revision to compare with.
    pub against: Option<String>,
}

impl Options {
    /// Parses `--runs N`, `--cold-runs N`, `--against REV`.
    pub fn parse(flags: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            runs: 3,
            cold_runs: 1,
            against: None,
        };
        let mut it = flags.iter();
        while let Some(flag) = it.next() {
            let mut value = || {
                it.next()
                    .map(|v| v.to_string())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match *flag {
                "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
                "--cold-runs" => {
                    options.cold_runs = value()?.parse().map_err(|e| format!("--cold-runs: {e}"))?
                }
                "--against" => options.against = Some(value()?),
                other => return Err(format!("unknown flag `{other}`")),
            }
        }
        Ok(options)
    }
}

/// One checkout being measured: its root and its target directory.
struct Checkout {
    label: String,
    root: PathBuf,
    target: PathBuf,
}

/// Every figure of one checkout.
#[derive(Default)]
struct Figures {
    dev: Vec<Duration>,
    release: Vec<Duration>,
    downstream: Vec<Duration>,
    cold: Vec<Duration>,
    llvm_ir_lines: Option<usize>,
    app_bytes: Option<u64>,
    /// The same program built without TLS (`--no-default-features`): the figure to hold against
    /// clients that have none.
    app_bytes_plain: Option<u64>,
    dependencies: Option<usize>,
    front_end: Option<f64>,
    codegen: Option<f64>,
}

/// Runs the benchmark and prints the table.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    let mut checkouts = vec![Checkout {
        label: "this checkout".into(),
        root: root.to_path_buf(),
        target: root.join("target"),
    }];
    if let Some(rev) = &options.against {
        checkouts.push(worktree(root, rev)?);
    }
    for c in &checkouts {
        prepare_bench_app(root, c)?;
        // Warm every build once, so that dependencies are built and timings are rebuilds.
        cargo(c, &c.root, &["build", "-p", "magic-api"])?;
        cargo(c, &c.root, &["build", "-p", "magic-api", "--release"])?;
        cargo(c, &c.root.join("xtask/bench-app"), &["build", "--release"])?;
    }
    let mut figures: Vec<Figures> = checkouts.iter().map(|_| Figures::default()).collect();
    for _ in 0..options.runs {
        for (c, f) in checkouts.iter().zip(&mut figures) {
            let generated = c.root.join("magic-api/src/generated/types.rs");
            f.dev.push(timed_after_touch(
                c,
                &generated,
                &c.root,
                &["build", "-p", "magic-api"],
            )?);
            f.release.push(timed_after_touch(
                c,
                &generated,
                &c.root,
                &["build", "-p", "magic-api", "--release"],
            )?);
            let app = c.root.join("xtask/bench-app");
            // The touches above made the program's copy of the crate stale: brought up to date
            // untimed, so the figure is the program's own rebuild, as a user edits it.
            cargo(c, &app, &["build", "--release"])?;
            f.downstream.push(timed_after_touch(
                c,
                &app.join("src/main.rs"),
                &app,
                &["build", "--release"],
            )?);
        }
    }
    for _ in 0..options.cold_runs {
        for (c, f) in checkouts.iter().zip(&mut figures) {
            let cold = Checkout {
                label: c.label.clone(),
                root: c.root.clone(),
                target: c.target.join("build-times-cold"),
            };
            let _ = std::fs::remove_dir_all(&cold.target);
            let start = Instant::now();
            cargo(&cold, &c.root, &["build", "-p", "magic-api"])?;
            f.cold.push(start.elapsed());
            let _ = std::fs::remove_dir_all(&cold.target);
        }
    }
    for (c, f) in checkouts.iter().zip(&mut figures) {
        f.llvm_ir_lines = llvm_ir_lines(c).ok();
        f.app_bytes = stripped_app_size(c, true)
            .map_err(|e| eprintln!("stripped size ({}): {e}", c.label))
            .ok();
        f.app_bytes_plain = stripped_app_size(c, false)
            .map_err(|e| eprintln!("stripped size without TLS ({}): {e}", c.label))
            .ok();
        f.dependencies = dependency_count(c).ok();
        if let Ok((front, code)) = timings_split(c) {
            f.front_end = Some(front);
            f.codegen = Some(code);
        }
    }
    print_table(&checkouts, &figures, options);
    Ok(())
}

/// A git worktree of `rev` under `target/build-times/`, with a target directory of its own.
fn worktree(root: &Path, rev: &str) -> Result<Checkout, String> {
    let dir = root
        .join("target/build-times")
        .join(rev.replace(['/', '~', '^'], "_"));
    if !dir.join("Cargo.toml").exists() {
        let status = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["worktree", "add", "--detach"])
            .arg(&dir)
            .arg(rev)
            .status()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !status.success() {
            return Err(format!("git worktree add {rev} failed"));
        }
    }
    Ok(Checkout {
        label: rev.to_string(),
        target: dir.join("target"),
        root: dir,
    })
}

/// The downstream program, copied into a checkout that predates it, with the checkout's lock
/// file so both build the same dependency versions.
fn prepare_bench_app(this_root: &Path, c: &Checkout) -> Result<(), String> {
    let from = this_root.join("xtask/bench-app");
    let to = c.root.join("xtask/bench-app");
    if to != from {
        std::fs::create_dir_all(to.join("src")).map_err(|e| e.to_string())?;
        for file in ["Cargo.toml", "src/main.rs"] {
            std::fs::copy(from.join(file), to.join(file)).map_err(|e| format!("{file}: {e}"))?;
        }
    }
    std::fs::copy(c.root.join("Cargo.lock"), to.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

fn cargo(c: &Checkout, dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &c.target)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`cargo {}` failed in {} ({}):\n{}",
            args.join(" "),
            dir.display(),
            c.label,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Marks `file` as changed (its content is untouched) and times the build.
fn timed_after_touch(
    c: &Checkout,
    file: &Path,
    dir: &Path,
    args: &[&str],
) -> Result<Duration, String> {
    let f = std::fs::File::options()
        .append(true)
        .open(file)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    f.set_modified(SystemTime::now())
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let start = Instant::now();
    cargo(c, dir, args)?;
    Ok(start.elapsed())
}

/// Lines of LLVM IR the release build of the crate emits.
fn llvm_ir_lines(c: &Checkout) -> Result<usize, String> {
    // The same target directory: only the crate itself is rebuilt with the extra output.
    let ir_dir = c.target.clone();
    cargo(
        c,
        &c.root,
        &[
            "rustc",
            "-p",
            "magic-api",
            "--release",
            "--lib",
            "--",
            "--emit=llvm-ir",
        ],
    )?;
    let deps = ir_dir.join("release/deps");
    // The newest file: an older one (an earlier build of other code) would be counted otherwise.
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for entry in std::fs::read_dir(&deps)
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("magic_api-") && name.ends_with(".ll") {
            let modified = entry
                .metadata()
                .and_then(|m| m.modified())
                .map_err(|e| e.to_string())?;
            if newest.as_ref().is_none_or(|(t, _)| modified > *t) {
                newest = Some((modified, entry.path()));
            }
        }
    }
    let (_, path) = newest.ok_or("no LLVM IR was written")?;
    let lines = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())?
        .lines()
        .count();
    Ok(lines)
}

/// Bytes of the downstream program's release binary, stripped of symbols: relinked with rustc's
/// own `-C strip=symbols` (no external `strip` tool), which recompiles only the program itself.
/// Measured after the timed rebuilds, whose builds it would otherwise disturb. `tls: false`
/// builds the program without its default `tls` feature (the crate without rustls).
fn stripped_app_size(c: &Checkout, tls: bool) -> Result<u64, String> {
    let app = c.root.join("xtask/bench-app");
    let mut args = vec!["rustc", "--release", "--bin", "bench-app"];
    if !tls {
        args.push("--no-default-features");
    }
    args.extend(["--", "-C", "strip=symbols"]);
    cargo(c, &app, &args)?;
    let binary = c
        .target
        .join("release")
        .join(format!("bench-app{}", std::env::consts::EXE_SUFFIX));
    std::fs::metadata(&binary)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", binary.display()))
}

/// Distinct packages in the crate's normal dependency tree.
fn dependency_count(c: &Checkout) -> Result<usize, String> {
    let out = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "tree",
            "-p",
            "magic-api",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(&c.root)
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let unique: std::collections::BTreeSet<&str> = text
        .lines()
        .map(|l| l.trim_end_matches(" (*)"))
        .filter(|l| !l.is_empty())
        .collect();
    Ok(unique.len())
}

/// Seconds of the crate's release rebuild spent before its metadata was ready (front end) and
/// after (code generation), from `cargo build --timings`.
fn timings_split(c: &Checkout) -> Result<(f64, f64), String> {
    let generated = c.root.join("magic-api/src/generated/types.rs");
    let f = std::fs::File::options()
        .append(true)
        .open(&generated)
        .map_err(|e| e.to_string())?;
    f.set_modified(SystemTime::now())
        .map_err(|e| e.to_string())?;
    cargo(
        c,
        &c.root,
        &["build", "-p", "magic-api", "--release", "--timings"],
    )?;
    let html = std::fs::read_to_string(c.target.join("cargo-timings/cargo-timing.html"))
        .map_err(|e| e.to_string())?;
    let data = html
        .split("const UNIT_DATA = ")
        .nth(1)
        .and_then(|rest| rest.split(";\n").next())
        .ok_or("no UNIT_DATA in the timings report")?;
    let units: serde_json::Value = serde_json::from_str(data).map_err(|e| e.to_string())?;
    let unit = units
        .as_array()
        .and_then(|u| {
            u.iter()
                .find(|u| u["name"] == "magic-api" && u["target"] == "")
        })
        .or_else(|| {
            units
                .as_array()
                .and_then(|u| u.iter().find(|u| u["name"] == "magic-api"))
        })
        .ok_or("magic-api is not in the timings report")?;
    // `sections`: [["frontend", {"start", "end"}], ["codegen", {...}], …] in seconds.
    let section = |name: &str| {
        unit["sections"].as_array().and_then(|sections| {
            sections.iter().find_map(|s| {
                (s[0] == name).then(|| {
                    s[1]["end"].as_f64().unwrap_or(0.0) - s[1]["start"].as_f64().unwrap_or(0.0)
                })
            })
        })
    };
    match (section("frontend"), section("codegen")) {
        (Some(front), Some(code)) => Ok((front, code)),
        _ => Err("the timings report has no frontend/codegen sections".into()),
    }
}

fn seconds(samples: &[Duration]) -> Option<(f64, f64)> {
    let mut s: Vec<f64> = samples.iter().map(Duration::as_secs_f64).collect();
    s.sort_by(f64::total_cmp);
    Some((*s.first()?, s[s.len() / 2]))
}

/// Picks one timed figure.
type TimedFigure = fn(&Figures) -> &Vec<Duration>;
/// Picks one counted figure.
type CountFigure = fn(&Figures) -> Option<f64>;

fn print_table(checkouts: &[Checkout], figures: &[Figures], options: &Options) {
    println!(
        "build times ({} runs per rebuild, {} cold; min / median seconds)",
        options.runs, options.cold_runs
    );
    let header: Vec<String> = checkouts.iter().map(|c| c.label.clone()).collect();
    println!(
        "{:<44} {:>24} {:>24} {:>8}",
        "",
        header[0],
        header.get(1).map_or("", String::as_str),
        if header.len() > 1 { "ratio" } else { "" }
    );
    let timed: [(&str, TimedFigure); 4] = [
        ("crate rebuild after touching generated code, dev", |f| {
            &f.dev
        }),
        ("same, release", |f| &f.release),
        ("downstream program, release rebuild", |f| &f.downstream),
        ("cold dev build of the crate with dependencies", |f| &f.cold),
    ];
    for (label, pick) in timed {
        let cells: Vec<Option<(f64, f64)>> = figures.iter().map(|f| seconds(pick(f))).collect();
        let show = |c: &Option<(f64, f64)>| {
            c.map_or("-".to_string(), |(min, med)| format!("{min:.2} / {med:.2}"))
        };
        let ratio = match (
            cells.first().copied().flatten(),
            cells.get(1).copied().flatten(),
        ) {
            (Some((_, a)), Some((_, b))) if b > 0.0 => format!("{:.2}", a / b),
            _ => String::new(),
        };
        println!(
            "{label:<44} {:>24} {:>24} {ratio:>8}",
            show(&cells[0]),
            cells.get(1).map(show).unwrap_or_default()
        );
    }
    // Each count with the decimals it is read to.
    let counts: [(&str, CountFigure, usize); 6] = [
        (
            "downstream program, stripped binary (MB)",
            |f| f.app_bytes.map(|n| n as f64 / 1e6),
            3,
        ),
        (
            "  the same, without TLS (MB)",
            |f| f.app_bytes_plain.map(|n| n as f64 / 1e6),
            3,
        ),
        (
            "LLVM IR lines of the crate (release)",
            |f| f.llvm_ir_lines.map(|n| n as f64),
            0,
        ),
        (
            "packages in the dependency tree",
            |f| f.dependencies.map(|n| n as f64),
            0,
        ),
        ("release rebuild: front end (s)", |f| f.front_end, 2),
        ("release rebuild: code generation (s)", |f| f.codegen, 2),
    ];
    for (label, pick, decimals) in counts {
        let cells: Vec<Option<f64>> = figures.iter().map(pick).collect();
        let show = |c: &Option<f64>| c.map_or("-".to_string(), |v| format!("{v:.decimals$}"));
        let ratio = match (
            cells.first().copied().flatten(),
            cells.get(1).copied().flatten(),
        ) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
            _ => String::new(),
        };
        println!(
            "{label:<44} {:>24} {:>24} {ratio:>8}",
            show(&cells[0]),
            cells.get(1).map(show).unwrap_or_default()
        );
    }
}
