//! Text keys for search: folding, transliteration, consonant skeletons, phone digits and bureau
//! codes. The same functions build the stored keys and the query keys, so they always agree.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases and strips diacritics, keeping the script: "Élodie" → "elodie", "Йордан" stays
/// Cyrillic ("иордан" is not wanted, so Cyrillic short i is kept whole).
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c) || matches!(c, '\u{0306}'))
        .collect::<String>()
        .nfc()
        .flat_map(char::to_lowercase)
        .collect()
}

/// Transliterates any script to lower-case ASCII: "Иван" → "ivan", "محمد" → "mhmd".
pub fn to_latin(text: &str) -> String {
    any_ascii::any_ascii(text).to_lowercase()
}

/// A word transliterated to lower-case ASCII with every sound spelt one way: digraphs as one
/// letter ("kh" as "h", "sh" as "s") and a doubled letter once, so that "Мохамед" reads
/// "mohamed" like "Mohammed" does, for comparing spellings letter by letter.
pub fn sound_latin(word: &str) -> String {
    once_each(&one_sound(&to_latin(word)))
}

/// A letter written twice in a row, once.
fn once_each(letters: &str) -> String {
    let mut out = String::with_capacity(letters.len());
    for c in letters.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Drops a final "h" after a vowel, which only lengthens it (Fatimah, Sarah).
fn without_final_h(latin: &mut String) {
    if latin.len() > 2
        && latin.ends_with('h')
        && b"aeiouy".contains(&latin.as_bytes()[latin.len() - 2])
    {
        latin.pop();
    }
}

/// What ranking a search's hits needs of one word of a name, worked out once and kept: the same
/// names come back from keystroke to keystroke and from search to search.
#[derive(Debug)]
pub struct NameWord {
    /// The word, folded.
    pub folded: String,
    /// Transliterated, each sound spelt one way ([`sound_latin`]).
    pub latin: String,
    /// Its consonant keys ([`skeleton_variants`]); the first is its skeleton.
    pub keys: Vec<String>,
    /// Where it writes its vowels.
    pub shape: VowelShape,
    /// Written in Arabic script.
    pub rtl: bool,
}

impl NameWord {
    /// Its consonant skeleton ("" when it has none).
    pub fn skeleton(&self) -> &str {
        self.keys.first().map_or("", String::as_str)
    }
}

/// How many words the cache of [`word_features`] keeps before it starts afresh.
const NAME_WORDS_KEPT: usize = 200_000;

/// The words of a name with what ranking needs of each ([`NameWord`]), from a cache shared by
/// every search (the features are a function of the word alone).
pub fn word_features(text: &str) -> Vec<std::sync::Arc<NameWord>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static KEPT: OnceLock<Mutex<HashMap<String, Arc<NameWord>>>> = OnceLock::new();
    let work_out = |raw: &str| {
        let folded = fold(raw);
        Arc::new(NameWord {
            latin: sound_latin(&folded),
            keys: skeleton_variants(&folded),
            shape: vowel_shape(&folded),
            rtl: has_rtl(&folded),
            folded,
        })
    };
    let kept = KEPT.get_or_init(|| Mutex::new(HashMap::new()));
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|raw| match kept.lock() {
            Ok(mut kept) => {
                if let Some(word) = kept.get(raw) {
                    return Arc::clone(word);
                }
                if kept.len() >= NAME_WORDS_KEPT {
                    kept.clear();
                }
                let word = work_out(raw);
                kept.insert(raw.to_owned(), Arc::clone(&word));
                word
            }
            // A panic elsewhere while holding the cache: work it out without.
            Err(_) => work_out(raw),
        })
        .collect()
}

/// The words of a name, folded, without punctuation.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
}

/// A consonant skeleton of one word, so that spellings across scripts meet: "Mohammed",
/// "Мохамед" and "محمد" all give "mhmd"; "Nour", "Нур" and "نور" give "nr". Arabic script
/// writes no short vowels, so vowels are dropped everywhere, and so are the letters the other
/// scripts write as vowels or leave out: in Arabic script alif, alif maqsura, hamza and its
/// seats, ʿayn, final ta marbuta and ha, and waw and ya after the first letter; in every script
/// the semivowels w/v and y (Walid, Валид, Уалид and وليد meet). Sounds spelt several ways are
/// folded to one letter: j/g/dj/dzh/zh, kh/h, q/k/c, ch/sh/s, z/s, a doubled letter to one, a
/// final h after a vowel (Fatimah, Sarah) and Ukrainian or Russian -ija to -ia.
pub fn skeleton(word: &str) -> String {
    // Arabic script is read letter by letter (ز then ه is "zh" only by accident); other
    // scripts as a whole, where "kh" or "sh" spell one sound.
    let single = if has_rtl(word) {
        arabic_consonants(word)
            .iter()
            .map(|c| one_sound(&to_latin(&c.to_string())))
            .collect::<String>()
    } else {
        let mut latin = to_latin(word);
        latin.retain(|c| c.is_ascii_alphabetic());
        if latin.ends_with("ija") {
            latin.truncate(latin.len() - 3);
            latin.push_str("ia");
        }
        without_final_h(&mut latin);
        // A doubled letter is one sound (Hassan, Mohammed); letters that meet only once the
        // vowels between them are gone stay two (Layla is "ll", Ali is "l").
        once_each(&one_sound(&latin))
    };
    single
        .chars()
        .filter_map(|c| match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w' | 'v' => None,
            'q' | 'c' => Some('k'),
            'g' => Some('j'),
            'z' => Some('s'),
            other => Some(other),
        })
        .collect()
}

/// Letters spelt with two that stand for one sound, as one letter.
fn one_sound(latin: &str) -> String {
    let mut out: String = latin.chars().filter(char::is_ascii_alphabetic).collect();
    for (two, one) in [
        ("dzh", "j"),
        ("dj", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("gh", "g"),
        ("ph", "f"),
        ("th", "t"),
        ("dh", "d"),
        ("ch", "s"),
        ("sh", "s"),
        ("ts", "c"),
    ] {
        out = out.replace(two, one);
    }
    out
}

/// The letters of an Arabic-script word that the other scripts write as consonants, a letter
/// written twice in a row once (the shadda is not written; الله is).
fn arabic_consonants(word: &str) -> Vec<char> {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let last = letters.len().saturating_sub(1);
    let mut out: Vec<char> = Vec::with_capacity(letters.len());
    for (i, c) in letters.iter().enumerate() {
        let kept = match c {
            // alif, alif maqsura, alif madda, hamza and its seats, ʿayn, tatweel
            'ا' | 'ى' | 'آ' | 'أ' | 'إ' | 'ٱ' | 'ء' | 'ؤ' | 'ئ' | 'ع' | 'ـ' => false,
            // waw and ya (Arabic and Farsi) are long vowels after the first letter
            'و' | 'ي' | 'ی' => i == 0,
            'ة' => false,
            'ه' | 'ە' => i != last,
            _ => true,
        };
        if kept && letters.get(i.wrapping_sub(1)) != Some(c) {
            out.push(*c);
        }
    }
    out
}

/// How a name word begins: with a vowel (Omar, عمر, Ahmad, أحمد), a semivowel (Yasser, ياسر,
/// Walid) or a consonant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Onset {
    Vowel,
    Semivowel,
    Consonant,
}

/// The kind of vowel written between two consonants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vowel {
    A,
    /// An "e", read as a or i.
    E,
    I,
    U,
}

/// Where a name word writes its vowels, which tells apart names that share a consonant key
/// (Mohammed and Mahmoud both read mhmd, Ahmad and Hamid hmd): how it begins, and the vowel
/// written in each gap between its consonants, with whether it is long (written with two
/// letters, or an Arabic-script letter). Arabic script writes only long vowels, so its empty
/// gaps say nothing about short ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VowelShape {
    onset: Onset,
    gaps: Vec<Option<(Vowel, bool)>>,
    abjad: bool,
}

/// The vowel shape of one name word (see [`VowelShape`]).
pub fn vowel_shape(word: &str) -> VowelShape {
    // Each letter as a consonant (Some(letter)) or a vowel (None, with its kind).
    let mut letters: Vec<Result<char, Option<Vowel>>> = Vec::new();
    let abjad = has_rtl(word);
    if abjad {
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            letters.push(match c {
                'ا' | 'ى' | 'آ' | 'ٱ' => Err(Some(Vowel::A)),
                'و' => Err(Some(Vowel::U)),
                'ي' | 'ی' => Err(Some(Vowel::I)),
                'أ' | 'إ' | 'ء' | 'ؤ' | 'ئ' | 'ع' | 'ة' | 'ـ' => Err(None),
                other => Ok(other),
            });
        }
        // A final ha is a vowel ending (عائشه), as in the consonant key.
        if letters.len() > 1 && letters.last() == Some(&Ok('ه')) {
            letters.pop();
        }
    } else {
        let mut latin: String = to_latin(word)
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        without_final_h(&mut latin);
        for c in one_sound(&latin).chars() {
            letters.push(match c {
                'a' => Err(Some(Vowel::A)),
                'e' => Err(Some(Vowel::E)),
                'i' | 'y' => Err(Some(Vowel::I)),
                'o' | 'u' | 'w' => Err(Some(Vowel::U)),
                other => Ok(other),
            });
        }
    }
    let onset = match word.chars().find(|c| c.is_alphabetic()) {
        Some(
            'ي' | 'ی' | 'و' | 'y' | 'Y' | 'w' | 'W' | 'v' | 'V' | 'й' | 'Й' | 'я' | 'Я' | 'ю' | 'Ю',
        ) => Onset::Semivowel,
        _ => match letters.first() {
            Some(Err(_)) => Onset::Vowel,
            _ => Onset::Consonant,
        },
    };
    // Skip the onset's own letters, then read the gaps between consonants.
    let start = letters
        .iter()
        .position(Result::is_ok)
        .unwrap_or(letters.len());
    let mut gaps = Vec::new();
    let mut gap: Vec<Vowel> = Vec::new();
    let mut silent = 0;
    let mut previous: Option<char> = None;
    for letter in &letters[start..] {
        match letter {
            Ok(c) if Some(*c) == previous && gap.is_empty() && silent == 0 => {}
            Ok(c) => {
                if previous.is_some() {
                    gaps.push(gap_vowel(&gap, abjad || gap.len() > 1));
                }
                previous = Some(*c);
                gap.clear();
                silent = 0;
            }
            Err(Some(v)) => gap.push(*v),
            Err(None) => silent += 1,
        }
    }
    VowelShape { onset, gaps, abjad }
}

/// One gap's vowel: the first i or u written decides (a diphthong "ei", "ay" is an i), else a,
/// else e.
fn gap_vowel(gap: &[Vowel], long: bool) -> Option<(Vowel, bool)> {
    let kind = [Vowel::I, Vowel::U, Vowel::A, Vowel::E]
        .into_iter()
        .find(|kind| gap.contains(kind))?;
    Some((kind, long))
}

/// How well two spellings agree on where their vowels are, from -1 (nowhere) to 1 (everywhere):
/// the same onset, and in each gap the same kind of vowel or none in both. A gap left empty in
/// Arabic script agrees with a short vowel (not written there) but not with a long one.
pub fn vowel_agreement(a: &VowelShape, b: &VowelShape) -> f64 {
    let mut score = if a.onset == b.onset { 1.0 } else { -1.0 };
    let mut counted = 1.0;
    if a.gaps.len() == b.gaps.len() {
        for (x, y) in a.gaps.iter().zip(&b.gaps) {
            counted += 1.0;
            score += match (x, y) {
                (None, None) if !a.abjad && !b.abjad => 1.0,
                (None, None) => 0.0,
                (None, Some((_, long))) if a.abjad => {
                    if *long {
                        -1.0
                    } else {
                        0.0
                    }
                }
                (Some((_, long)), None) if b.abjad => {
                    if *long {
                        -1.0
                    } else {
                        0.0
                    }
                }
                (None, Some(_)) | (Some(_), None) => -1.0,
                (Some((x, _)), Some((y, _))) => {
                    let alike = x == y
                        || matches!(
                            (x, y),
                            (Vowel::E, Vowel::A | Vowel::I) | (Vowel::A | Vowel::I, Vowel::E)
                        );
                    if alike { 1.0 } else { -1.0 }
                }
            };
        }
    }
    score / counted
}

/// The consonant keys a word is found by: its skeleton and, for an Arabic-script word ending in
/// ta marbuta, the skeleton with the "t" it is sometimes read with (حياة is Hayat, فاطمة Fatima).
pub fn skeleton_variants(word: &str) -> Vec<String> {
    let key = skeleton(word);
    let mut keys = vec![key.clone()];
    if word.chars().rev().find(|c| c.is_alphabetic()) == Some('ة') {
        keys.push(format!("{key}t"));
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// Skeletons of every word of a text, space-separated.
pub fn skeletons(text: &str) -> String {
    words(text)
        .map(|w| skeleton(&w))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The digits of a phone number in a form that ignores how it was typed: spaces, dashes,
/// brackets, the Bulgarian country code (`+359`, `00359`) and the trunk `0` are removed, so
/// "+359 88 123 4567", "0881234567" and "88 123 45 67" all give "881234567".
pub fn phone_digits(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    // "00359…", "+359…" and "0359…" all lose their zeros, then the country code when a
    // full national number (8 digits or more) follows it.
    let national = digits.trim_start_matches('0');
    let national = national
        .strip_prefix("359")
        .filter(|rest| rest.len() >= 8)
        .unwrap_or(national);
    national.trim_start_matches('0').to_owned()
}

/// True when the text looks like a phone number or a number a person reads out: only digits,
/// spaces and phone punctuation, with at least one digit.
pub fn is_number_like(text: &str) -> bool {
    let mut digits = 0;
    for c in text.chars() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '+' | '-' | '(' | ')' | '/' | '.' => {}
            _ => return false,
        }
    }
    digits > 0
}

/// The bureau code for a visitor id: `B-000457`. Six digits at least, more when needed.
pub fn visitor_code(id: i64) -> String {
    format!("B-{id:06}")
}

/// Reads a bureau code as typed ("B-000457", "b457", "B 457") back to the visitor id. The B may
/// be typed with the Cyrillic letter that looks like it (В, the same key on a Bulgarian
/// keyboard) or with Б, the Bulgarian letter for the sound.
pub fn parse_visitor_code(text: &str) -> Option<i64> {
    let t = text.trim();
    let rest = t.strip_prefix(['B', 'b', 'В', 'в', 'Б', 'б'])?;
    let digits = rest.trim_start_matches(['-', ' ']);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

/// The code as stored in the search index: lower case, no dash ("b000457").
pub fn code_key(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// True when the text contains a right-to-left letter (Arabic, Farsi, Hebrew…).
pub fn has_rtl(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// Common names in Arabic script (Arabic and Persian spellings) with the vowels the script does
/// not write, as they are usually spelt in Latin letters.
const COMMON_NAMES: &[(&str, &str)] = &[
    ("محمد", "Mohammad"),
    ("احمد", "Ahmad"),
    ("أحمد", "Ahmad"),
    ("علی", "Ali"),
    ("علي", "Ali"),
    ("حسن", "Hassan"),
    ("حسین", "Hossein"),
    ("حسين", "Hussein"),
    ("محمود", "Mahmoud"),
    ("مصطفی", "Mostafa"),
    ("مصطفى", "Mustafa"),
    ("عبدالله", "Abdullah"),
    ("عبد", "Abd"),
    ("رحمان", "Rahman"),
    ("رحیم", "Rahim"),
    ("رحيم", "Rahim"),
    ("کریم", "Karim"),
    ("كريم", "Karim"),
    ("یوسف", "Yousef"),
    ("يوسف", "Yusuf"),
    ("ابراهیم", "Ebrahim"),
    ("إبراهيم", "Ibrahim"),
    ("ابراهيم", "Ibrahim"),
    ("خالد", "Khaled"),
    ("عمر", "Omar"),
    ("فاطمه", "Fatemeh"),
    ("فاطمة", "Fatima"),
    ("زهرا", "Zahra"),
    ("زهراء", "Zahraa"),
    ("مریم", "Maryam"),
    ("مريم", "Maryam"),
    ("عایشه", "Aisha"),
    ("عائشة", "Aisha"),
    ("زینب", "Zeinab"),
    ("زينب", "Zainab"),
    ("نور", "Nour"),
    ("نوری", "Nouri"),
    ("نوري", "Nouri"),
    ("رضا", "Reza"),
    ("جواد", "Javad"),
    ("حمید", "Hamid"),
    ("حميد", "Hamid"),
    ("سعید", "Saeed"),
    ("سعيد", "Saeed"),
    ("نجیب", "Najib"),
    ("اکبر", "Akbar"),
    ("امین", "Amin"),
    ("أمين", "Amin"),
    ("صالح", "Saleh"),
    ("سلیمان", "Soleiman"),
    ("سليمان", "Sulaiman"),
    ("لیلا", "Leila"),
    ("ليلى", "Layla"),
    ("سارا", "Sara"),
    ("مهدی", "Mahdi"),
    ("ناصر", "Nasser"),
    ("بشیر", "Bashir"),
    ("قاسم", "Qasim"),
    ("یعقوب", "Yaqub"),
    ("اسماعیل", "Esmail"),
    ("إسماعيل", "Ismail"),
    ("موسی", "Musa"),
    ("موسى", "Musa"),
    ("داود", "Davood"),
    ("ولی", "Wali"),
    ("خان", "Khan"),
    ("احمدی", "Ahmadi"),
    ("محمدی", "Mohammadi"),
    ("حیدری", "Heidari"),
    ("رحیمی", "Rahimi"),
    ("کریمی", "Karimi"),
    ("حسینی", "Hosseini"),
    ("نظری", "Nazari"),
    ("جعفری", "Jafari"),
    ("عزیزی", "Azizi"),
    ("امیری", "Amiri"),
    ("صدیقی", "Sediqi"),
    ("عثمان", "Osman"),
    ("سوریا", "Suriya"),
];

/// A readable Latin form of a name, for Bulgarian readers: Arabic-script words get the usual
/// spelling of a common name ("محمد نوری" → "Mohammad Nouri"), other Arabic-script words a
/// letter-by-letter reading that keeps the long vowels the script writes; other scripts the
/// usual transliteration ("Иван" → "Ivan"). Shown marked as automatic: it is a guess.
pub fn readable_latin(name: &str) -> String {
    name.split_whitespace()
        .map(|word| {
            let latin = if has_rtl(word) {
                COMMON_NAMES
                    .iter()
                    .find(|(written, _)| *written == word)
                    .map_or_else(|| arabic_letters(word), |(_, latin)| (*latin).to_owned())
            } else {
                any_ascii::any_ascii(word)
            };
            let mut chars = latin.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().collect::<String>() + &chars.as_str().to_lowercase()
            })
        })
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An Arabic-script word letter by letter: alif, waw and ya read as the long vowels they mostly
/// are inside a word ("نوری" → "nouri"), and as consonants at its start.
fn arabic_letters(word: &str) -> String {
    let letters: Vec<char> = word.chars().collect();
    let mut out = String::new();
    for (i, c) in letters.iter().enumerate() {
        let first = i == 0;
        let last = i + 1 == letters.len();
        let sound = match c {
            'ا' | 'آ' | 'أ' | 'إ' | 'ى' => "a",
            'ب' => "b",
            'پ' => "p",
            'ت' | 'ط' => "t",
            'ث' | 'س' | 'ص' => "s",
            'ج' => "j",
            'چ' => "ch",
            'ه' if last => "eh",
            'ح' | 'ه' => "h",
            'خ' => "kh",
            'د' => "d",
            'ذ' | 'ز' | 'ض' | 'ظ' => "z",
            'ر' => "r",
            'ژ' => "zh",
            'ش' => "sh",
            'ع' | 'ء' | 'ئ' | 'ؤ' => "",
            'غ' => "gh",
            'ف' => "f",
            'ق' => "q",
            'ک' | 'ك' => "k",
            'گ' => "g",
            'ل' => "l",
            'م' => "m",
            'ن' => "n",
            'و' if first => "v",
            'و' => "ou",
            'ی' | 'ي' if first => "y",
            'ی' | 'ي' => "i",
            'ة' => "a",
            _ => "",
        };
        out.push_str(sound);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn where_the_vowels_are_tells_apart_names_of_one_consonant_key() {
        let agree = |a: &str, b: &str| vowel_agreement(&vowel_shape(a), &vowel_shape(b));
        // Same key, other name: a vowel in one gap and not the other, or another onset.
        assert!(agree("Muhammad", "Mohammed") > agree("Muhammad", "Mahmud"));
        assert!(agree("Мохамед", "Mohammed") > agree("Мохамед", "Махмуд"));
        assert!(agree("Ahmad", "أحمد") > agree("Ahmad", "Hamid"));
        assert!(agree("Omar", "عمر") > agree("Omar", "Maria"));
        assert!(agree("Hassan", "حسن") > agree("Hassan", "Hussein"));
        assert!(agree("Хусейн", "حسين") > agree("Хусейн", "حسن"));
        // Arabic script leaves short vowels out, but writes long ones.
        assert!(agree("محمد", "Mohamed") > agree("محمد", "محمود"));
        assert!(agree("محمود", "Mahmoud") > agree("محمود", "Mohammed"));
        assert!(
            agree("Karim", "كريم") > 0.5,
            "its long i is written in both"
        );
    }

    #[test]
    fn arabic_script_names_read_with_their_vowels() {
        assert_eq!(readable_latin("محمد نوری"), "Mohammad Nouri");
        assert_eq!(readable_latin("فاطمه احمدی"), "Fatemeh Ahmadi");
        assert_eq!(readable_latin("Иван Петров"), "Ivan Petrov");
        // Not in the list: the long vowels the script writes are kept.
        assert_eq!(readable_latin("شیرین"), "Shirin");
        assert_eq!(readable_latin(""), "");
    }

    #[test]
    fn fold_removes_diacritics_but_keeps_script() {
        assert_eq!(fold("Élodie"), "elodie");
        assert_eq!(fold("ПЕТРОВ"), "петров");
        assert_eq!(fold("Йордан"), "йордан");
        assert_eq!(fold("أحمد"), fold("أحمد"));
    }

    #[test]
    fn skeletons_meet_across_scripts() {
        let expected = "mhmd";
        for name in [
            "Mohammed",
            "Muhammad",
            "Мохамед",
            "Мухаммад",
            "محمد",
            "Mohamed",
        ] {
            assert_eq!(skeleton(name), expected, "{name}");
        }
        assert_eq!(skeleton("Hassan"), skeleton("حسن"));
        assert_eq!(skeleton("Хасан"), skeleton("Hassan"));
        assert_eq!(skeleton("Ahmad"), skeleton("أحمد"));
        assert_eq!(skeleton("Jamal"), skeleton("Джамал"));
    }

    #[test]
    fn phone_digits_ignore_country_code_and_spacing() {
        for typed in [
            "+359 88 123 4567",
            "0881234567",
            "88 123 45 67",
            "00359 881 234 567",
            "(088) 123-4567",
        ] {
            assert_eq!(phone_digits(typed), "881234567", "{typed}");
        }
        assert_eq!(phone_digits("+964 770 123 4567"), "9647701234567");
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(visitor_code(457), "B-000457");
        assert_eq!(visitor_code(1_234_567), "B-1234567");
        assert_eq!(parse_visitor_code("B-000457"), Some(457));
        assert_eq!(parse_visitor_code("b457"), Some(457));
        assert_eq!(parse_visitor_code("Б-457"), Some(457));
        // Cyrillic В, which looks like B and sits on its key on a Bulgarian keyboard.
        assert_eq!(parse_visitor_code("В-000457"), Some(457));
        assert_eq!(parse_visitor_code("в457"), Some(457));
        assert_eq!(parse_visitor_code("Вера"), None);
        assert_eq!(parse_visitor_code("Bob"), None);
        assert_eq!(code_key("B-000457"), "b000457");
    }

    #[test]
    fn rtl_is_detected() {
        assert!(has_rtl("أحمد حسن"));
        assert!(has_rtl("احمد 2024"));
        assert!(!has_rtl("Иван 12"));
    }

    proptest! {
        #[test]
        fn codes_parse_back(id in 0i64..10_000_000_000) {
            prop_assert_eq!(parse_visitor_code(&visitor_code(id)), Some(id));
        }

        #[test]
        fn keys_never_panic_and_are_ascii(s in "\\PC{0,40}") {
            prop_assert!(skeleton(&s).is_ascii());
            prop_assert!(to_latin(&s).is_ascii());
            let digits = phone_digits(&s);
            prop_assert!(digits.chars().all(|c| c.is_ascii_digit()));
            let _ = fold(&s);
        }

        #[test]
        fn phone_digits_ignore_separators(n in "[1-9][0-9]{6,10}") {
            let spaced: String = n.chars().flat_map(|c| [c, ' ']).collect();
            prop_assert_eq!(phone_digits(&spaced), phone_digits(&n));
            prop_assert_eq!(phone_digits(&format!("0{n}")), phone_digits(&n));
        }
    }
}
