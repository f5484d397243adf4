//! The bundle: all compiled documents in one file that ships inside the app. A small
//! length-prefixed format, checked on read so that a damaged bundle is refused, not half-read.

use esv_shared::document::DocKind;

const MAGIC: &[u8; 8] = b"ESVCAT1\n";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledDoc {
    pub doc_id: String,
    pub kind: DocKind,
    /// `Automerge::save()` output.
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("the catalog bundle does not start with its signature")]
    Signature,
    #[error("the catalog bundle ends in the middle of a document")]
    Truncated,
    #[error("the catalog bundle names an unknown kind of document: {0:?}")]
    Kind(String),
}

pub fn encode_bundle(docs: &[CompiledDoc]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for doc in docs {
        for field in [
            doc.doc_id.as_bytes(),
            doc.kind.as_str().as_bytes(),
            &doc.bytes,
        ] {
            out.extend_from_slice(&u32::try_from(field.len()).unwrap_or(u32::MAX).to_le_bytes());
            out.extend_from_slice(field);
        }
    }
    out
}

pub fn decode_bundle(mut bytes: &[u8]) -> Result<Vec<CompiledDoc>, BundleError> {
    bytes = bytes.strip_prefix(MAGIC).ok_or(BundleError::Signature)?;
    let mut docs = Vec::new();
    while !bytes.is_empty() {
        let doc_id = field(&mut bytes)?;
        let kind = field(&mut bytes)?;
        let body = field(&mut bytes)?;
        let kind = String::from_utf8_lossy(kind).into_owned();
        docs.push(CompiledDoc {
            doc_id: String::from_utf8_lossy(doc_id).into_owned(),
            kind: DocKind::parse(&kind).ok_or(BundleError::Kind(kind))?,
            bytes: body.to_vec(),
        });
    }
    Ok(docs)
}

fn field<'a>(bytes: &mut &'a [u8]) -> Result<&'a [u8], BundleError> {
    let (len, rest) = bytes
        .split_first_chunk::<4>()
        .ok_or(BundleError::Truncated)?;
    let len = u32::from_le_bytes(*len) as usize;
    if rest.len() < len {
        return Err(BundleError::Truncated);
    }
    let (value, rest) = rest.split_at(len);
    *bytes = rest;
    Ok(value)
}
