//! The load generator behind `make bench`, run small: every mode must complete its logins with
//! no error and print its figures. (The figures themselves are measured by `make bench`, not
//! judged here.)

use std::path::Path;
use std::process::Command;
use std::sync::Once;

/// loadgen starts the broker binary beside its own (`target/<profile>/idbroker`). Testing the
/// whole workspace builds it; testing this package alone does not, so build it once here (a
/// no-op when it is up to date) with the profile and target folder loadgen was built with.
fn broker_built() {
    static BUILT: Once = Once::new();
    BUILT.call_once(|| {
        let beside = Path::new(env!("CARGO_BIN_EXE_loadgen")).with_file_name("idbroker");
        let profile_dir = beside.parent().unwrap();
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") | None => "dev",
            Some(other) => other,
        };
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "-p", "idbroker", "--bin", "idbroker"])
            .args(["--profile", profile, "--target-dir"])
            .arg(profile_dir.parent().unwrap())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --bin idbroker failed");
        assert!(beside.exists(), "no broker at {}", beside.display());
    });
}

fn loadgen(args: &[&str]) -> String {
    broker_built();
    let output = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("loadgen runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "loadgen {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn assert_logins(out: &str, logins: usize, steps: &[&str]) {
    assert!(
        out.contains(&format!("completed {logins} logins in")) && out.contains(", 0 errors"),
        "{out}"
    );
    for step in steps.iter().chain(&["total"]) {
        assert!(
            out.lines().any(|l| l.starts_with(&format!("{step:<10} "))),
            "no {step} line in\n{out}"
        );
    }
    assert!(out.contains("CPU per login: broker"), "{out}");
    assert!(out.contains("RS256 signing ceiling"), "{out}");
}

const OIDC_STEPS: &[&str] = &[
    "authorize",
    "page",
    "phone",
    "sms",
    "otp",
    "token",
    "verify",
    "userinfo",
];

#[test]
fn oidc_logins_on_the_memory_store() {
    let out = loadgen(&["--mode", "oidc", "--logins", "40", "--concurrency", "4"]);
    assert_logins(&out, 40, OIDC_STEPS);
}

#[test]
fn oidc_logins_on_redis() {
    let args = ["--mode", "oidc", "--store", "redis", "--logins", "40"];
    let out = loadgen(&args);
    assert_logins(&out, 40, OIDC_STEPS);
}

#[test]
fn oidc_logins_beside_sends_that_hang() {
    let args = ["--mode", "oidc", "--logins", "40", "--stalled", "3"];
    let out = loadgen(&args);
    assert_logins(&out, 40, OIDC_STEPS);
    assert!(out.contains("stalled: 3 users"), "{out}");
}

#[test]
fn rest_and_direct_grant_logins() {
    let rest = loadgen(&["--mode", "rest", "--logins", "30", "--concurrency", "3"]);
    assert_logins(&rest, 30, &["create", "page", "phone", "otp", "result"]);
    let grant = loadgen(&["--mode", "grant", "--logins", "30", "--concurrency", "3"]);
    assert_logins(&grant, 30, &["send", "verify"]);
}

#[test]
fn pending_sessions_memory() {
    let out = loadgen(&[
        "--mode",
        "pending",
        "--logins",
        "2000",
        "--concurrency",
        "8",
        "--records",
        "1000,20000",
    ]);
    assert!(
        out.contains("2000 pending sessions in") && out.contains("bytes per pending session"),
        "{out}"
    );
    for records in [1000, 20000] {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("store at {records} records: insert p99 ")))
            .unwrap_or_else(|| panic!("no store line for {records} records in\n{out}"));
        assert!(line.contains(" µs, read p99 "), "{line}");
    }
}

/// The pumper from one address gets a handful of SMS through the shipped limits, and the
/// users beside it log in without an error; with the limits off it gets far more.
#[test]
fn an_sms_pumper_beside_real_logins() {
    let pumped = |out: &str| -> usize {
        let line = out
            .lines()
            .find(|l| l.starts_with("pump: "))
            .unwrap_or_else(|| panic!("no pump line in\n{out}"));
        let (head, _) = line.split_once(" SMS reached the gateway").unwrap();
        head.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let args = ["--mode", "pump", "--seconds", "3", "--concurrency", "4"];
    let limited = loadgen(&args);
    assert!(limited.contains(", 0 errors"), "{limited}");
    // The one victim number: 1 (then the cooldown and its 3 in 10 minutes); the address: 10
    // sends in its first minute, whatever the numbers.
    let through = pumped(&limited);
    assert!((1..=10).contains(&through), "{limited}");
    let open = loadgen(&[&args[..], &["--limits", "off"]].concat());
    assert!(pumped(&open) > 10 * through, "{open}");
}

/// Every request of the hostile SAML corpus is refused (loadgen fails otherwise).
#[test]
fn a_hostile_saml_corpus_is_refused() {
    let out = loadgen(&["--mode", "hostile", "--logins", "3"]);
    assert!(
        out.contains("hostile: worst broker CPU per refused request"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("hostile: ")).count(),
        12
    );
}
