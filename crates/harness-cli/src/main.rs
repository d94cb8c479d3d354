fn main() -> std::process::ExitCode {
    harness_cli::run(std::env::args_os())
}
