//! `deinfluencer`: the audit and evaluation command line. Native only: the wasm build of the crate is
//! the extension's engine and has no command line.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
