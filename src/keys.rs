//! Key material: the one module that holds the database key in the clear. The key is a random
//! 256-bit secret made when the file is created; it is kept in a key file beside the database
//! (`bureau-desk.keys`) in slots, one per staff member who may open the file and one for the
//! recovery code, each sealed with a key derived from that person's password (argon2id, then
//! XChaCha20-Poly1305) — the way LUKS and age keep one key for many people. Signing in is
//! unwrapping one's slot. No password is stored anywhere.
//!
//! The rest of the program sees a `DatabaseKey` handle that opens the database; it has no
//! `Debug` output, and its bytes are wiped when it is dropped.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::output::{self, Overwrite, OwnFiles};

/// The label every key file starts with, and the KDF salts' domain separator.
const FORMAT: &str = "bureau-desk key file";
/// The key file's version.
const VERSION: u32 = 1;
/// Mixed into every KDF salt before the random bytes, so a derived key is only good here.
const SALT_LABEL: &[u8] = b"bureau-desk/key-slot/v1/";

/// Argon2id memory in KiB (64 MiB: above OWASP's 19 MiB minimum).
const M_COST: u32 = 64 * 1024;
/// Argon2id passes.
const T_COST: u32 = 3;
/// Argon2id lanes.
const P_COST: u32 = 1;
/// The most a key file may ask for when unwrapping, so a tampered file cannot make sign-in
/// hang or exhaust memory; the least, so it cannot weaken a new slot either.
const M_COST_RANGE: std::ops::RangeInclusive<u32> = 19 * 1024..=512 * 1024;
const T_COST_RANGE: std::ops::RangeInclusive<u32> = 1..=10;
const P_COST_RANGE: std::ops::RangeInclusive<u32> = 1..=8;

/// What can go wrong with keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The password (or recovery code) does not open the slot.
    #[error("the password is not right")]
    WrongPassword,
    /// The slot is not what this program writes (changed, cut or from elsewhere).
    #[error("the key slot is damaged")]
    DamagedSlot,
    /// Nobody of that name can open the file.
    #[error("there is no key slot for that person")]
    NoSlot,
    /// There is no key file where one was expected.
    #[error("the key file {0} is missing")]
    Missing(std::path::PathBuf),
    /// The key file cannot be read as one.
    #[error("the key file {0} is damaged")]
    DamagedFile(std::path::PathBuf),
    /// A new password is too easy to guess.
    #[error("a password needs at least 10 characters, or 4 words")]
    WeakPassword,
    /// The key file could not be written.
    #[error("the key file could not be written: {0}")]
    Write(#[from] output::OutputError),
}

/// The database key. Opens the database; never printed, wiped on drop.
pub struct DatabaseKey(SecretBox<[u8; 32]>);

impl DatabaseKey {
    /// A new random key, for a new file.
    pub fn generate() -> Self {
        DatabaseKey(SecretBox::init_with_mut(|bytes: &mut [u8; 32]| {
            rand::rng().fill_bytes(bytes)
        }))
    }

    /// The key as SQLCipher's `PRAGMA key` takes a raw key: `x'…'` (no KDF on its side). Also
    /// what SQLCipher's own tools need to open the file (whoever unwrapped the key may).
    pub fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0.expose_secret())))
    }

    /// A second handle on the same key (the open database keeps one, to add slots with).
    pub(crate) fn duplicate(&self) -> DatabaseKey {
        DatabaseKey(SecretBox::init_with_mut(|bytes: &mut [u8; 32]| {
            bytes.copy_from_slice(self.0.expose_secret())
        }))
    }

    /// Whether two handles hold the same key (checked in constant time).
    pub fn same_as(&self, other: &DatabaseKey) -> bool {
        let (a, b) = (self.0.expose_secret(), other.0.expose_secret());
        a.iter()
            .zip(b.iter())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
    }
}

/// The kind of a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SlotKind {
    /// A staff member's password.
    Password,
    /// The recovery code kept in the bureau's safe.
    Recovery,
}

/// One sealed copy of the database key. Everything but `sealed` and `check` is bound to the
/// ciphertext as associated data, so a slot moved to another person or given other KDF
/// parameters no longer opens.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    kind: SlotKind,
    /// The staff member (password slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    staff_id: Option<i64>,
    /// Their name as shown on the sign-in screen (the only thing readable without a password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    kdf: KdfParams,
    /// Random part of the KDF salt, hex.
    salt: String,
    /// AEAD nonce, hex.
    nonce: String,
    /// The sealed database key, hex.
    sealed: String,
    /// SHA-256 of the rest of the slot, hex: tells a damaged slot from a wrong password (it
    /// guards against accidents, not attackers — the AEAD does that).
    check: String,
}

/// Argon2id parameters of a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KdfParams {
    algorithm: String,
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
}

impl KdfParams {
    fn current() -> Self {
        KdfParams {
            algorithm: "argon2id".into(),
            m_cost: M_COST,
            t_cost: T_COST,
            p_cost: P_COST,
        }
    }

    fn acceptable(&self) -> bool {
        self.algorithm == "argon2id"
            && M_COST_RANGE.contains(&self.m_cost)
            && T_COST_RANGE.contains(&self.t_cost)
            && P_COST_RANGE.contains(&self.p_cost)
    }
}

impl Slot {
    fn header(&self) -> String {
        format!(
            "{FORMAT} v{VERSION}|{:?}|{}|{}|{}|{}|{}|{}",
            self.kind,
            self.staff_id.map_or(String::new(), |id| id.to_string()),
            self.name.as_deref().unwrap_or_default(),
            self.kdf.algorithm,
            self.kdf.m_cost,
            self.kdf.t_cost,
            self.kdf.p_cost,
        )
    }

    fn digest(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(self.header().as_bytes());
        for part in [&self.salt, &self.nonce, &self.sealed] {
            hash.update(b"|");
            hash.update(part.as_bytes());
        }
        hex::encode(hash.finalize())
    }

    /// Seals `key` under `secret` with fresh salt and nonce.
    fn seal(
        kind: SlotKind,
        owner: Option<(i64, &str)>,
        secret: &[u8],
        key: &DatabaseKey,
    ) -> Result<Slot, KeyError> {
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut salt);
        rand::rng().fill_bytes(&mut nonce);
        let mut slot = Slot {
            kind,
            staff_id: owner.map(|(id, _)| id),
            name: owner.map(|(_, name)| name.to_owned()),
            kdf: KdfParams::current(),
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            sealed: String::new(),
            check: String::new(),
        };
        let wrapping = derive(secret, &salt, &slot.kdf)?;
        let cipher = XChaCha20Poly1305::new(&(*wrapping).into());
        let header = slot.header();
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: key.0.expose_secret(),
                    aad: header.as_bytes(),
                },
            )
            .map_err(|_| KeyError::DamagedSlot)?;
        slot.sealed = hex::encode(sealed);
        slot.check = slot.digest();
        Ok(slot)
    }

    /// Opens the slot with `secret`.
    fn open(&self, secret: &[u8]) -> Result<DatabaseKey, KeyError> {
        if self.check != self.digest() || !self.kdf.acceptable() {
            return Err(KeyError::DamagedSlot);
        }
        let salt = hex::decode(&self.salt).map_err(|_| KeyError::DamagedSlot)?;
        let nonce: [u8; 24] = hex::decode(&self.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or(KeyError::DamagedSlot)?;
        let sealed = hex::decode(&self.sealed).map_err(|_| KeyError::DamagedSlot)?;
        if salt.len() != 16 || sealed.len() != 32 + 16 {
            return Err(KeyError::DamagedSlot);
        }
        let wrapping = derive(secret, &salt, &self.kdf)?;
        let cipher = XChaCha20Poly1305::new(&(*wrapping).into());
        let header = self.header();
        let opened = Zeroizing::new(
            cipher
                .decrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: &sealed,
                        aad: header.as_bytes(),
                    },
                )
                .map_err(|_| KeyError::WrongPassword)?,
        );
        let bytes: [u8; 32] = opened
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::DamagedSlot)?;
        Ok(DatabaseKey(SecretBox::new(Box::new(bytes))))
    }
}

/// The slot's wrapping key from a secret: argon2id over the secret, salted with the format's
/// label and the slot's random bytes.
fn derive(secret: &[u8], salt: &[u8], params: &KdfParams) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(params.m_cost, params.t_cost, params.p_cost, Some(32))
            .map_err(|_| KeyError::DamagedSlot)?,
    );
    let mut full_salt = SALT_LABEL.to_vec();
    full_salt.extend_from_slice(salt);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(secret, &full_salt, out.as_mut())
        .map_err(|_| KeyError::DamagedSlot)?;
    Ok(out)
}

/// The key file's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    format: String,
    version: u32,
    slots: Vec<Slot>,
}

impl Default for KeyFile {
    fn default() -> Self {
        KeyFile {
            format: FORMAT.into(),
            version: VERSION,
            slots: Vec::new(),
        }
    }
}

/// A recovery code: 128 random bits written as eight groups of four characters.
pub struct RecoveryCode(SecretString);

impl std::fmt::Debug for RecoveryCode {
    /// Never the code itself: a debug print or a log line must not carry it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(hidden)")
    }
}

impl RecoveryCode {
    fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; 16]);
        rand::rng().fill_bytes(bytes.as_mut());
        let digits = Zeroizing::new(hex::encode_upper(bytes.as_ref()));
        let grouped: Vec<&str> = (0..8)
            .filter_map(|i| digits.get(4 * i..4 * i + 4))
            .collect();
        RecoveryCode(SecretString::from(grouped.join("-")))
    }

    /// The code as printed: `3F9A-…`.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The code's secret bytes as typed, whatever the case and the separators.
    fn normalized(typed: &str) -> Zeroizing<String> {
        Zeroizing::new(
            typed
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        )
    }
}

/// Whether a new password is strong enough: at least 10 characters, or at least 4 words.
pub fn check_strength(password: &SecretString) -> Result<(), KeyError> {
    let text = password.expose_secret();
    if text.trim().chars().count() >= 10 || text.split_whitespace().count() >= 4 {
        Ok(())
    } else {
        Err(KeyError::WeakPassword)
    }
}

impl KeyFile {
    /// Reads the key file at `path`.
    pub fn load(path: &Path) -> Result<KeyFile, KeyError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeyError::Missing(path.to_owned()));
            }
            Err(_) => return Err(KeyError::DamagedFile(path.to_owned())),
        };
        let file: KeyFile =
            serde_json::from_str(&text).map_err(|_| KeyError::DamagedFile(path.to_owned()))?;
        if file.format != FORMAT || file.version != VERSION {
            return Err(KeyError::DamagedFile(path.to_owned()));
        }
        Ok(file)
    }

    /// Writes the key file at `path` (a temporary file renamed into place). The key file is
    /// one of the desk's own files, so this is the one writer that replaces it.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| output::OutputError::Writer(e.to_string()))?;
        output::write_file(path, Overwrite::Replace, &OwnFiles::default(), |w| {
            Ok(w.write_all(text.as_bytes())?)
        })?;
        Ok(())
    }

    /// Gives a staff member a slot with `password` (replacing theirs, if any).
    pub fn set_password(
        &mut self,
        staff_id: i64,
        name: &str,
        password: &SecretString,
        key: &DatabaseKey,
    ) -> Result<(), KeyError> {
        let slot = Slot::seal(
            SlotKind::Password,
            Some((staff_id, name)),
            password.expose_secret().as_bytes(),
            key,
        )?;
        self.remove(staff_id);
        self.slots.push(slot);
        Ok(())
    }

    /// Makes a new recovery code (replacing the old one) and returns it, to print once.
    pub fn new_recovery_code(&mut self, key: &DatabaseKey) -> Result<RecoveryCode, KeyError> {
        let code = RecoveryCode::generate();
        let secret = RecoveryCode::normalized(code.expose());
        let slot = Slot::seal(SlotKind::Recovery, None, secret.as_bytes(), key)?;
        self.slots.retain(|s| s.kind != SlotKind::Recovery);
        self.slots.push(slot);
        Ok(code)
    }

    /// Removes a staff member's slot; says whether there was one.
    pub fn remove(&mut self, staff_id: i64) -> bool {
        let before = self.slots.len();
        self.slots
            .retain(|s| !(s.kind == SlotKind::Password && s.staff_id == Some(staff_id)));
        self.slots.len() != before
    }

    /// Staff who can open the file: id and name, for the sign-in screen.
    pub fn staff(&self) -> Vec<(i64, String)> {
        self.slots
            .iter()
            .filter(|s| s.kind == SlotKind::Password)
            .filter_map(|s| Some((s.staff_id?, s.name.clone().unwrap_or_default())))
            .collect()
    }

    /// The staff id of a name as typed (case and surrounding spaces ignored).
    pub fn staff_named(&self, name: &str) -> Option<i64> {
        let wanted = name.trim().to_lowercase();
        self.staff()
            .into_iter()
            .find(|(_, n)| n.trim().to_lowercase() == wanted)
            .map(|(id, _)| id)
    }

    /// Unwraps a staff member's slot with their password.
    pub fn unlock(&self, staff_id: i64, password: &SecretString) -> Result<DatabaseKey, KeyError> {
        self.slots
            .iter()
            .find(|s| s.kind == SlotKind::Password && s.staff_id == Some(staff_id))
            .ok_or(KeyError::NoSlot)?
            .open(password.expose_secret().as_bytes())
    }

    /// Unwraps the recovery slot with the recovery code as typed.
    pub fn unlock_with_recovery(&self, code: &SecretString) -> Result<DatabaseKey, KeyError> {
        let secret = RecoveryCode::normalized(code.expose_secret());
        self.slots
            .iter()
            .find(|s| s.kind == SlotKind::Recovery)
            .ok_or(KeyError::NoSlot)?
            .open(secret.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(text: &str) -> SecretString {
        SecretString::from(text)
    }

    #[test]
    fn a_password_opens_its_own_slot_only() {
        let key = DatabaseKey::generate();
        let mut file = KeyFile::default();
        file.set_password(1, "Мария", &secret("correct horse battery"), &key)
            .unwrap_or_else(|e| panic!("{e}"));
        file.set_password(2, "Петър", &secret("another long one"), &key)
            .unwrap_or_else(|e| panic!("{e}"));
        let opened = file
            .unlock(1, &secret("correct horse battery"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(opened.same_as(&key));
        assert!(matches!(
            file.unlock(1, &secret("another long one")),
            Err(KeyError::WrongPassword)
        ));
        assert!(matches!(
            file.unlock(3, &secret("x")),
            Err(KeyError::NoSlot)
        ));
        assert_eq!(file.staff_named(" мария "), Some(1));
        // A changed password rewrites that slot only.
        let other_before = file.slots.iter().find(|s| s.staff_id == Some(2)).cloned();
        file.set_password(1, "Мария", &secret("a new password here"), &key)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(file.unlock(1, &secret("correct horse battery")).is_err());
        assert!(file.unlock(1, &secret("a new password here")).is_ok());
        let other_after = file.slots.iter().find(|s| s.staff_id == Some(2)).cloned();
        assert_eq!(
            other_before.map(|s| s.sealed),
            other_after.map(|s| s.sealed)
        );
        assert!(file.remove(2) && !file.remove(2));
        assert!(matches!(
            file.unlock(2, &secret("another long one")),
            Err(KeyError::NoSlot)
        ));
    }

    #[test]
    fn damage_is_told_apart_from_a_wrong_password_and_bounds_hold() {
        let key = DatabaseKey::generate();
        let mut file = KeyFile::default();
        file.set_password(1, "Admin", &secret("long enough password"), &key)
            .unwrap_or_else(|e| panic!("{e}"));
        let good = file.slots[0].clone();
        let damaged = |change: &dyn Fn(&mut Slot)| {
            let mut slot = good.clone();
            change(&mut slot);
            slot.open(b"long enough password")
        };
        // A flipped byte of the sealed key, a cut salt: damaged.
        assert!(matches!(
            damaged(&|s| s.sealed.replace_range(0..2, "00")),
            Err(KeyError::DamagedSlot)
        ));
        assert!(matches!(
            damaged(&|s| s.salt.truncate(4)),
            Err(KeyError::DamagedSlot)
        ));
        // Parameters out of bounds are refused before any work, even with a fixed-up check.
        for (m, t) in [(4 * 1024 * 1024, 3), (64 * 1024, 1000), (8, 1)] {
            let result = damaged(&|s| {
                s.kdf.m_cost = m;
                s.kdf.t_cost = t;
                s.check = s.digest();
            });
            assert!(matches!(result, Err(KeyError::DamagedSlot)), "{m} {t}");
        }
        // A slot moved to another person, with its check recomputed, no longer opens.
        let moved = damaged(&|s| {
            s.staff_id = Some(2);
            s.check = s.digest();
        });
        assert!(matches!(moved, Err(KeyError::WrongPassword)));
    }

    #[test]
    fn the_recovery_code_opens_its_slot_however_it_is_typed() {
        let key = DatabaseKey::generate();
        let mut file = KeyFile::default();
        let code = file
            .new_recovery_code(&key)
            .unwrap_or_else(|e| panic!("{e}"));
        let printed = code.expose().to_owned();
        assert_eq!(printed.len(), 39, "{printed}");
        assert_eq!(printed.split('-').count(), 8);
        let typed = printed.to_lowercase().replace('-', " ");
        let opened = file
            .unlock_with_recovery(&secret(&typed))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(opened.same_as(&key));
        assert!(matches!(
            file.unlock_with_recovery(&secret("0000-0000-0000-0000-0000-0000-0000-0000")),
            Err(KeyError::WrongPassword)
        ));
        assert!(file.staff().is_empty(), "the recovery slot is nobody's");
    }

    #[test]
    fn the_key_file_round_trips_and_holds_no_secret_in_the_clear() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("bureau.keys");
        assert!(matches!(KeyFile::load(&path), Err(KeyError::Missing(_))));
        let key = DatabaseKey::generate();
        let mut file = KeyFile::default();
        file.set_password(7, "Admin", &secret("a long password"), &key)
            .unwrap_or_else(|e| panic!("{e}"));
        file.save(&path).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(!text.contains("a long password"));
        assert!(!text.contains(&hex::encode(key.0.expose_secret())));
        let loaded = KeyFile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            loaded
                .unlock(7, &secret("a long password"))
                .is_ok_and(|k| k.same_as(&key))
        );
        std::fs::write(&path, "{not json").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            KeyFile::load(&path),
            Err(KeyError::DamagedFile(_))
        ));
    }

    #[test]
    fn passwords_need_ten_characters_or_four_words() {
        for weak in ["", "demo", "short pw", "123456789"] {
            assert!(check_strength(&secret(weak)).is_err(), "{weak}");
        }
        for strong in ["0123456789", "ябълка круша слива дюля", "a b c d"] {
            assert!(check_strength(&secret(strong)).is_ok(), "{strong}");
        }
    }
}
