//! The signature of an outgoing webhook: HMAC-SHA256 of
//! `"<timestamp>.<body>"` with the target's secret. The timestamp is signed
//! too, so a receiver can refuse a replayed delivery by its age.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The `X-Tabgov-Signature` header value of a delivery: `sha256=` and the
/// lowercase hex HMAC-SHA256, keyed with `secret`, of the Unix `timestamp`
/// (seconds, decimal), a `.` and the exact `body` bytes.
///
/// ```
/// use tabgov::serve::signature::sign;
///
/// let header = sign(b"secret", 1_700_000_000, br#"{"event":"sync_failed"}"#);
/// assert!(header.starts_with("sha256=") && header.len() == 7 + 64);
/// ```
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length: this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Whether `header` is [`sign`]'s value for these inputs, compared in
/// constant time (a receiver written in Rust can use it; the comparison
/// must not tell an attacker how many leading characters were right).
pub fn verify(secret: &[u8], timestamp: i64, body: &[u8], header: &str) -> bool {
    let expected = sign(secret, timestamp, body);
    expected.as_bytes().ct_eq(header.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_timestamp_and_the_body() {
        let s = sign(b"k", 10, b"{}");
        assert!(verify(b"k", 10, b"{}", &s));
        assert!(!verify(b"k", 11, b"{}", &s), "another timestamp");
        assert!(!verify(b"k", 10, b"{ }", &s), "another body");
        assert!(!verify(b"K", 10, b"{}", &s), "another secret");
        assert!(!verify(b"k", 10, b"{}", &s[..20]));
    }

    #[test]
    fn is_the_hmac_of_timestamp_dot_body() {
        // The HMAC itself, against RFC 4231 test case 2.
        let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
        mac.update(b"1700000000.{}");
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(sign(b"Jefe", 1_700_000_000, b"{}"), expected);
    }
}
