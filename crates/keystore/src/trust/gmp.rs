//! The few GMP integer operations batch GCD and key recovery need, bound
//! by hand.
//!
//! Why GMP: the remainder tree divides numbers of tens of millions of bits.
//! `num-bigint-dig` (already in the tree through `rsa`) divides in quadratic
//! time; measured on 2048-bit moduli it took 1.1 s for 500 keys, 4.8 s for
//! 1,000 and 17 s for 2,000, so about 7 minutes for 10,000. GMP's
//! subquadratic multiplication and division do 10,000 in seconds (see
//! the README's `tamis keys` section for the timing).
//!
//! Why not `rug`: its `gmp-mpfr-sys` (1.6 and 1.7) refuses a system GMP older
//! than 6.3.0, and Debian bookworm ships 6.2.1; building GMP from source
//! instead takes minutes on two cores. The `mpz_*` functions used here have
//! had the same signatures since GMP 4, so any system libgmp serves.
//!
//! Key recovery ([`crate::recover`]) needs GMP for the same reason:
//! `s^65537` of a 2048-bit signature has 134 million bits, and the GCD of
//! two such numbers is out of reach of a quadratic-time library.
//!
//! Every `unsafe` block below calls GMP on values this module initialised
//! and owns; [`Mpz`] frees its limbs on drop.

use std::ffi::{c_int, c_ulong, c_void};

/// GMP's `__mpz_struct`. `mp_limb_t` is `unsigned long` on the LP64
/// platforms tamis builds on; the limb pointer is never dereferenced here.
#[repr(C)]
struct MpzStruct {
    alloc: c_int,
    size: c_int,
    limbs: *mut c_ulong,
}

extern "C" {
    fn __gmpz_init(x: *mut MpzStruct);
    fn __gmpz_clear(x: *mut MpzStruct);
    fn __gmpz_set(rop: *mut MpzStruct, op: *const MpzStruct);
    fn __gmpz_mul(rop: *mut MpzStruct, a: *const MpzStruct, b: *const MpzStruct);
    fn __gmpz_tdiv_r(r: *mut MpzStruct, n: *const MpzStruct, d: *const MpzStruct);
    fn __gmpz_divexact(q: *mut MpzStruct, n: *const MpzStruct, d: *const MpzStruct);
    fn __gmpz_gcd(rop: *mut MpzStruct, a: *const MpzStruct, b: *const MpzStruct);
    fn __gmpz_sub(rop: *mut MpzStruct, a: *const MpzStruct, b: *const MpzStruct);
    fn __gmpz_pow_ui(rop: *mut MpzStruct, base: *const MpzStruct, exp: c_ulong);
    fn __gmpz_powm_ui(
        rop: *mut MpzStruct,
        base: *const MpzStruct,
        exp: c_ulong,
        modulus: *const MpzStruct,
    );
    fn __gmpz_divisible_ui_p(n: *const MpzStruct, d: c_ulong) -> c_int;
    fn __gmpz_divexact_ui(q: *mut MpzStruct, n: *const MpzStruct, d: c_ulong);
    fn __gmpz_cmp(a: *const MpzStruct, b: *const MpzStruct) -> c_int;
    fn __gmpz_cmp_ui(a: *const MpzStruct, b: c_ulong) -> c_int;
    fn __gmpz_sizeinbase(op: *const MpzStruct, base: c_int) -> usize;
    fn __gmpz_import(
        rop: *mut MpzStruct,
        count: usize,
        order: c_int,
        size: usize,
        endian: c_int,
        nails: usize,
        op: *const c_void,
    );
    fn __gmpz_export(
        rop: *mut c_void,
        countp: *mut usize,
        order: c_int,
        size: usize,
        endian: c_int,
        nails: usize,
        op: *const MpzStruct,
    ) -> *mut c_void;
}

/// A non-negative GMP integer.
pub struct Mpz(MpzStruct);

// The limbs are owned by this value alone; GMP keeps no global state per
// integer, so moving one to another thread is sound.
unsafe impl Send for Mpz {}

impl Mpz {
    fn zero() -> Mpz {
        let mut raw = MpzStruct {
            alloc: 0,
            size: 0,
            limbs: std::ptr::null_mut(),
        };
        unsafe { __gmpz_init(&mut raw) };
        Mpz(raw)
    }

    /// From big-endian bytes (an RSA modulus as DER holds it).
    pub fn from_be_bytes(bytes: &[u8]) -> Mpz {
        let mut n = Mpz::zero();
        if !bytes.is_empty() {
            // order 1: most significant word first; size 1: bytes; endian 0: native (irrelevant for bytes).
            unsafe { __gmpz_import(&mut n.0, bytes.len(), 1, 1, 0, 0, bytes.as_ptr().cast()) };
        }
        n
    }

    /// Big-endian bytes, no leading zeros; empty for zero.
    pub fn to_be_bytes(&self) -> Vec<u8> {
        if self.is_zero() {
            return Vec::new();
        }
        let len = self.bits().div_ceil(8);
        let mut out = vec![0u8; len];
        let mut written = 0usize;
        unsafe {
            __gmpz_export(out.as_mut_ptr().cast(), &mut written, 1, 1, 0, 0, &self.0);
        }
        out.truncate(written);
        out
    }

    pub fn bits(&self) -> usize {
        if self.is_zero() {
            0
        } else {
            unsafe { __gmpz_sizeinbase(&self.0, 2) }
        }
    }

    pub fn is_zero(&self) -> bool {
        unsafe { __gmpz_cmp_ui(&self.0, 0) == 0 }
    }

    pub fn is_one(&self) -> bool {
        unsafe { __gmpz_cmp_ui(&self.0, 1) == 0 }
    }

    pub fn mul(&self, other: &Mpz) -> Mpz {
        let mut r = Mpz::zero();
        unsafe { __gmpz_mul(&mut r.0, &self.0, &other.0) };
        r
    }

    pub fn square(&self) -> Mpz {
        self.mul(self)
    }

    /// `self mod m`, for non-negative `self` and positive `m`.
    pub fn rem(&self, m: &Mpz) -> Mpz {
        assert!(!m.is_zero(), "remainder by zero");
        let mut r = Mpz::zero();
        unsafe { __gmpz_tdiv_r(&mut r.0, &self.0, &m.0) };
        r
    }

    /// `self / d`, where `d` is known to divide `self`.
    pub fn div_exact(&self, d: &Mpz) -> Mpz {
        assert!(!d.is_zero(), "division by zero");
        let mut q = Mpz::zero();
        unsafe { __gmpz_divexact(&mut q.0, &self.0, &d.0) };
        q
    }

    pub fn gcd(&self, other: &Mpz) -> Mpz {
        let mut r = Mpz::zero();
        unsafe { __gmpz_gcd(&mut r.0, &self.0, &other.0) };
        r
    }

    /// `|self - other|`: the absolute value keeps every [`Mpz`] non-negative,
    /// which is all a GCD needs (`gcd(a, b) = gcd(a, -b)`).
    pub fn abs_diff(&self, other: &Mpz) -> Mpz {
        let mut r = Mpz::zero();
        unsafe {
            if __gmpz_cmp(&self.0, &other.0) >= 0 {
                __gmpz_sub(&mut r.0, &self.0, &other.0);
            } else {
                __gmpz_sub(&mut r.0, &other.0, &self.0);
            }
        }
        r
    }

    /// `self^exp` in full. The caller bounds the size: the result has about
    /// `bits() * exp` bits.
    pub fn pow(&self, exp: u32) -> Mpz {
        let mut r = Mpz::zero();
        unsafe { __gmpz_pow_ui(&mut r.0, &self.0, c_ulong::from(exp)) };
        r
    }

    /// `self^exp mod m`, for positive `m`.
    pub fn pow_mod(&self, exp: u32, m: &Mpz) -> Mpz {
        // GMP raises SIGFPE on a zero modulus; a panic at least says where.
        assert!(!m.is_zero(), "modular power with modulus zero");
        let mut r = Mpz::zero();
        unsafe { __gmpz_powm_ui(&mut r.0, &self.0, c_ulong::from(exp), &m.0) };
        r
    }

    /// Whether `d` divides `self`; for `d = 0`, whether `self` is zero
    /// (GMP's definition, which never divides by zero).
    pub fn divisible_by(&self, d: u32) -> bool {
        unsafe { __gmpz_divisible_ui_p(&self.0, c_ulong::from(d)) != 0 }
    }

    /// `self / d`, where `d` is known to divide `self`.
    pub fn div_exact_small(&self, d: u32) -> Mpz {
        assert!(d != 0, "division by zero");
        let mut q = Mpz::zero();
        unsafe { __gmpz_divexact_ui(&mut q.0, &self.0, c_ulong::from(d)) };
        q
    }
}

impl Clone for Mpz {
    fn clone(&self) -> Mpz {
        let mut r = Mpz::zero();
        unsafe { __gmpz_set(&mut r.0, &self.0) };
        r
    }
}

impl PartialEq for Mpz {
    fn eq(&self, other: &Mpz) -> bool {
        unsafe { __gmpz_cmp(&self.0, &other.0) == 0 }
    }
}

impl Eq for Mpz {}

impl PartialOrd for Mpz {
    fn partial_cmp(&self, other: &Mpz) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Mpz {
    fn cmp(&self, other: &Mpz) -> std::cmp::Ordering {
        // GMP promises only the sign of the result, not -1/0/1.
        unsafe { __gmpz_cmp(&self.0, &other.0) }.cmp(&0)
    }
}

impl Drop for Mpz {
    fn drop(&mut self) {
        unsafe { __gmpz_clear(&mut self.0) };
    }
}

impl std::fmt::Debug for Mpz {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mpz(0x{})", hex::encode(self.to_be_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_arithmetic() {
        let a = Mpz::from_be_bytes(&[0x01, 0x00]); // 256
        let b = Mpz::from_be_bytes(&[0x06]);
        assert_eq!(a.to_be_bytes(), vec![0x01, 0x00]);
        assert_eq!(a.bits(), 9);
        assert_eq!(a.mul(&b).to_be_bytes(), vec![0x06, 0x00]);
        assert_eq!(a.rem(&b).to_be_bytes(), vec![4]);
        assert_eq!(a.mul(&b).div_exact(&b), a);
        assert_eq!(a.gcd(&b).to_be_bytes(), vec![2]);
        assert!(Mpz::from_be_bytes(&[]).is_zero());
        assert!(Mpz::from_be_bytes(&[0, 1]).is_one());
    }

    #[test]
    fn powers_differences_and_small_divisors() {
        let a = Mpz::from_be_bytes(&[7]);
        let b = Mpz::from_be_bytes(&[0x01, 0x00]); // 256
        assert_eq!(a.pow(3).to_be_bytes(), vec![0x01, 0x57]); // 343
        assert_eq!(a.pow_mod(3, &b).to_be_bytes(), vec![0x57]);
        assert_eq!(a.abs_diff(&b).to_be_bytes(), vec![249]);
        assert_eq!(b.abs_diff(&a).to_be_bytes(), vec![249]);
        assert!(a.abs_diff(&a).is_zero());
        assert!(b.divisible_by(16));
        assert!(!b.divisible_by(3));
        assert_eq!(b.div_exact_small(16).to_be_bytes(), vec![16]);
        assert!(a < b);
        assert!(b > a);
        assert!(a.cmp(&a.clone()).is_eq());
        // 65537th power of a 2048-bit number: the size key recovery works at.
        let big = Mpz::from_be_bytes(&[0xff; 256]);
        assert_eq!(big.pow(65537).bits(), 2048 * 65537);
    }
}
