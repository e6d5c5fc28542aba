//! The `tabgov` command line; everything it does lives in `cli`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
