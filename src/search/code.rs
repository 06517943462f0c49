//! Search: the encodings the index shares with the browser.
//!
//! Numbers are written as text (gzip-friendly, decoded with one table
//! look-up a character), and a term's shard is a hash of its first
//! characters, so the browser finds the shard of a word it has never seen,
//! and every word sharing those characters (a prefix search) in that same
//! shard. `assets/search.js` decodes both; a change here is a change there.

use super::text::is_cjk;

/// Digits that end a number, worth 0–31.
const LAST: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";
/// Digits that another digit follows, worth 0–31.
const MORE: &[u8; 32] = b"WXYZabcdefghijklmnopqrstuvwxyz-_";

/// Append `n`, most significant digit first, five bits a character: every
/// character but the last from [`MORE`], the last from [`LAST`]. Numbers
/// below 32 take one character, below 1024 two.
pub fn push_number(out: &mut String, n: u64) {
    // The shift of the most significant digit: a multiple of five.
    let mut shift = (63 - n.max(1).leading_zeros()) / 5 * 5;
    while shift > 0 {
        out.push(char::from(MORE[((n >> shift) & 31) as usize]));
        shift -= 5;
    }
    out.push(char::from(LAST[(n & 31) as usize]));
}

/// A signed number as [`push_number`] writes it: 0, -1, 1, -2… → 0, 1, 2, 3…
pub fn push_signed(out: &mut String, n: i64) {
    push_number(out, ((n << 1) ^ (n >> 63)) as u64);
}

/// How many characters of a term decide its shard: every term sharing
/// them lives in one shard, so a query word this long or longer finds the
/// words it begins in one file. A CJK term is keyed by its first character.
pub const KEY_CHARS: usize = 3;

/// The shard of a term (or of a form seen) among `shards` (a power of
/// two): FNV-1a over the code points of its first [`KEY_CHARS`] characters.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let take = if term.chars().next().is_some_and(is_cjk) { 1 } else { KEY_CHARS };
    let mut hash: u32 = 0x811c_9dc5;
    for c in term.chars().take(take) {
        hash ^= c as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    // FNV's low bits mix poorly; fold the high ones in.
    (hash ^ (hash >> 16)) & (shards - 1)
}

/// A posting list as text: for each article (by increasing slot), the gap
/// since the previous slot and its weight in one number,
/// `gap × 4 + weight − 1` for weights 1–3, or `gap × 4 + 3` followed by
/// `weight − 4`.
#[derive(Debug, Default)]
pub struct Postings {
    /// The encoded list.
    pub text: String,
    /// How many articles it holds.
    pub count: u32,
    last: Option<u64>,
}

impl Postings {
    /// A list as written (to be written out as it is, not added to).
    pub fn written(text: String) -> Postings {
        Postings { text, ..Postings::default() }
    }

    /// Add an article, after every one added before it.
    pub fn push(&mut self, slot: u64, weight: u16) {
        let gap = gap(self.last, slot);
        self.last = Some(slot);
        self.count += 1;
        let weight = u64::from(weight.max(1));
        if weight <= 3 {
            push_number(&mut self.text, gap * 4 + weight - 1);
        } else {
            push_number(&mut self.text, gap * 4 + 3);
            push_number(&mut self.text, weight - 4);
        }
    }
}

/// The numbers [`push_number`] wrote, one after another; `None` for a
/// character it does not write, or a number cut short.
fn read_numbers(text: &str) -> impl Iterator<Item = Option<u64>> + '_ {
    let mut bytes = text.bytes();
    std::iter::from_fn(move || {
        let (mut n, mut started) = (0u64, false);
        loop {
            let b = bytes.next();
            if !started && b.is_none() {
                return None;
            }
            started = true;
            let Some(b) = b else { return Some(None) };
            let (last, digit) = match (LAST.iter().position(|&d| d == b), MORE.iter().position(|&d| d == b)) {
                (Some(digit), _) => (true, digit),
                (None, Some(digit)) => (false, digit),
                (None, None) => return Some(None),
            };
            if n >= 1 << 59 {
                return Some(None);
            }
            n = n << 5 | digit as u64;
            if last {
                return Some(Some(n));
            }
        }
    })
}

/// The articles of a posting list as [`Postings`] wrote it, as (slot,
/// weight); `None` when the text is not one.
pub fn read_postings(text: &str) -> Option<Vec<(u64, u16)>> {
    let mut numbers = read_numbers(text);
    let (mut list, mut last) = (Vec::new(), None);
    while let Some(number) = numbers.next() {
        let number = number?;
        let weight = match number % 4 {
            3 => u16::try_from(numbers.next()??.checked_add(4)?).ok()?,
            small => small as u16 + 1,
        };
        let slot = match last {
            None => number / 4,
            Some(previous) => u64::checked_add(previous, number / 4 + 1)?,
        };
        list.push((slot, weight));
        last = Some(slot);
    }
    Some(list)
}

/// A list of slots as text: the gap since the previous slot, for each.
#[derive(Debug, Default)]
pub struct Slots {
    /// The encoded list.
    pub text: String,
    /// How many slots it holds.
    pub count: u32,
    last: Option<u64>,
}

impl Slots {
    /// Add a slot, above every one added before it.
    pub fn push(&mut self, slot: u64) {
        push_number(&mut self.text, gap(self.last, slot));
        self.last = Some(slot);
        self.count += 1;
    }
}

/// One article of a document block: the gap from the slot before (see
/// [`gap`]), its day (days since 1970-01-01, signed) and its word count.
pub fn push_doc(out: &mut String, gap: u64, day: i64, words: u32) {
    push_number(out, gap);
    push_signed(out, day);
    push_number(out, u64::from(words));
}

/// The gap from the previous slot (none: before slot 0) to `slot`.
pub fn gap(previous: Option<u64>, slot: u64) -> u64 {
    previous.map_or(slot, |p| slot - p - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(n: u64) -> String {
        let mut s = String::new();
        push_number(&mut s, n);
        s
    }

    #[test]
    fn posting_lists_read_back_as_written() {
        let list = [(0, 1), (1, 3), (7, 4), (40, 2), (1_000_000, 255), (1_000_001, 1)];
        let mut postings = Postings::default();
        for (slot, weight) in list {
            postings.push(slot, weight);
        }
        assert_eq!(read_postings(&postings.text), Some(list.to_vec()));
        assert_eq!(read_postings(""), Some(Vec::new()));
        for bad in ["X", "!", "3", "____________0"] {
            assert_eq!(read_postings(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_are_short_and_self_delimiting() {
        assert_eq!(number(0), "0");
        assert_eq!(number(31), "V");
        assert_eq!(number(32), "X0");
        assert_eq!(number(1023), "_V");
        assert_eq!(number(1024), "XW0");
        assert_eq!(number(u64::MAX).len(), 13);
        let mut signed = String::new();
        for n in [0, -1, 1, -2] {
            push_signed(&mut signed, n);
        }
        assert_eq!(signed, "0123");
    }

    /// The vectors the browser's decoders are tested with
    /// (`tests/search/codes.test.mjs`): what this side writes.
    #[test]
    fn the_encodings_are_the_ones_the_browser_is_tested_with() {
        let v: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/search/codes.json")).expect("codes.json is JSON");
        let list = |v: &serde_json::Value| -> Vec<i64> {
            v.as_array().expect("a list").iter().map(|n| n.as_i64().expect("a number")).collect()
        };
        for pair in v["numbers"].as_array().expect("numbers") {
            assert_eq!(number(pair[0].as_u64().expect("a number")), pair[1]);
        }
        for pair in v["signed"].as_array().expect("signed") {
            let mut text = String::new();
            push_signed(&mut text, pair[0].as_i64().expect("a number"));
            assert_eq!(text, pair[1]);
        }
        let mut postings = Postings::default();
        for (slot, weight) in list(&v["postings"]["slots"]).into_iter().zip(list(&v["postings"]["weights"])) {
            postings.push(slot as u64, weight as u16);
        }
        assert_eq!(postings.text, v["postings"]["text"]);
        let mut slots = Slots::default();
        for slot in list(&v["slots"]["slots"]) {
            slots.push(slot as u64);
        }
        assert_eq!(slots.text, v["slots"]["text"]);
        let block = &v["block"];
        let (mut text, mut last) = (String::new(), None);
        let first = block["first"].as_u64().expect("first");
        for ((slot, day), words) in
            list(&block["slots"]).into_iter().zip(list(&block["days"])).zip(list(&block["words"]))
        {
            let slot = slot as u64 - first;
            push_doc(&mut text, gap(last, slot), day, words as u32);
            last = Some(slot);
        }
        assert_eq!(text, block["text"]);
    }

    #[test]
    fn postings_are_gaps_with_weights() {
        let mut p = Postings::default();
        p.push(0, 1);
        p.push(1, 3);
        p.push(10, 4);
        p.push(100, 40);
        // 0·4+0, 0·4+2, 8·4+3 then 0, 89·4+3 then 36.
        assert_eq!(p.text, format!("02{}0{}{}", number(35), number(359), number(36)));
        assert_eq!(p.count, 4);
    }

    #[test]
    fn words_sharing_their_first_letters_share_a_shard() {
        let shards = 64;
        assert_eq!(shard_of("election", shards), shard_of("elect", shards));
        assert_eq!(shard_of("ele", shards), shard_of("electricity", shards));
        assert_eq!(shard_of("東京", shards), shard_of("東", shards));
        // The hash the browser computes too (see search.js): pinned.
        assert_eq!(shard_of("election", 1 << 16), 4123);
        // Every three-letter start of a word, over 64 shards: none holds
        // more than twice its share.
        let mut load = [0; 64];
        for a in 'a'..='z' {
            for b in 'a'..='z' {
                for c in ['a', 'e', 'i', 'o', 'n', 's', 't'] {
                    load[shard_of(&format!("{a}{b}{c}x"), shards) as usize] += 1;
                }
            }
        }
        let share = 26 * 26 * 7 / 64;
        assert!(load.iter().all(|&n| n < 2 * share), "{load:?}");
    }
}
