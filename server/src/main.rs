//! The `limelight` binary: `serve` (the default), `migrate`, and the administration commands.

fn main() -> std::process::ExitCode {
    server::cli::main()
}
