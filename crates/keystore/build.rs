//! Links the system's GMP for batch GCD (src/trust/gmp.rs says why GMP and
//! why not through a crate). Debian: `apt-get install libgmp-dev`, which
//! `crates/keystore/install-gmp.sh` does for CI.

fn main() {
    println!("cargo:rustc-link-lib=gmp");
    println!("cargo:rerun-if-changed=build.rs");
}
