//! Customer ids to dense indices, in order of first appearance.
//!
//! This lookup is the hot spot of the summary (one per row, the rows of a log sorted by date interleave
//! the customers), so it is built for speed: an id of up to 15 bytes is packed with its length into a
//! `u128` and stored inline in the table (no pointer to chase to compare keys), longer ids go to a second
//! table, the hash is a multiply-rotate hash in the manner of rustc's FxHash (the input is the user's
//! own file, so there is no adversary to resist), and a row of the same customer as the row before skips
//! the lookup.

type FastMap<K> = crate::hash::FastMap<K, u32>;

/// Assigns each distinct id the next index, 0, 1, 2, …
#[derive(Default)]
pub struct CustomerIndex {
    short: FastMap<u128>,
    long: FastMap<Box<[u8]>>,
    ids: Vec<Box<[u8]>>,
    last: Option<(u128, u32)>,
}

/// `id` packed with its length into a `u128`, if it has at most 15 bytes.
fn pack(id: &[u8]) -> Option<u128> {
    if id.len() > 15 {
        return None;
    }
    let mut bytes = [0u8; 16];
    bytes[..id.len()].copy_from_slice(id);
    bytes[15] = id.len() as u8;
    Some(u128::from_le_bytes(bytes))
}

impl CustomerIndex {
    /// The index of `id`, a new one if it was not seen before.
    pub fn index_of(&mut self, id: &[u8]) -> u32 {
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        let Some(key) = pack(id) else {
            if let Some(&i) = self.long.get(id) {
                return i;
            }
            self.long.insert(id.into(), next);
            self.ids.push(id.into());
            return next;
        };
        if let Some((last_key, i)) = self.last {
            if last_key == key {
                return i;
            }
        }
        let i = *self.short.entry(key).or_insert_with(|| {
            self.ids.push(id.into());
            next
        });
        self.last = Some((key, i));
        i
    }

    /// The ids, by index.
    pub fn into_ids(self) -> Vec<Box<[u8]>> {
        self.ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_in_order_of_first_appearance() {
        let mut index = CustomerIndex::default();
        let long = b"a-customer-id-longer-than-fifteen-bytes";
        let seen: Vec<u32> = [&b"b"[..], b"a", b"b", b"b", long, b"", b"a", long, b"a\0"]
            .iter()
            .map(|id| index.index_of(id))
            .collect();
        assert_eq!(seen, [0, 1, 0, 0, 2, 3, 1, 2, 4]);
        let ids = index.into_ids();
        assert_eq!(&*ids[2], long);
        assert_eq!(&*ids[4], b"a\0");
    }

    #[test]
    fn packing_keeps_lengths_apart() {
        assert_ne!(pack(b"a"), pack(b"a\0"));
        assert_eq!(pack(&[7u8; 15]).map(|k| (k >> 120) as u8), Some(15));
        assert_eq!(pack(&[7u8; 16]), None);
    }
}
