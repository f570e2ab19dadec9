//! Which files may enter a dossier: a size limit and a check that the bytes are what the
//! declared type says, so a renamed executable or script is refused.

pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// Media types a dossier accepts, with their Dutch names.
pub const ACCEPTED: &[(&str, &str)] = &[
    ("application/pdf", "PDF"),
    ("image/png", "PNG-afbeelding"),
    ("image/jpeg", "JPEG-afbeelding"),
    ("text/plain", "tekstbestand"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word-document (.docx)"),
    ("application/vnd.oasis.opendocument.text", "OpenDocument-tekst (.odt)"),
    ("message/rfc822", "e-mailbericht (.eml)"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    Empty,
    TooLarge { limit_mb: usize },
    NotAccepted { declared: String },
    Mismatch { declared: String },
    BadFileName,
}

impl std::fmt::Display for UploadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadError::Empty => f.write_str("Het bestand is leeg."),
            UploadError::TooLarge { limit_mb } => {
                write!(f, "Het bestand is groter dan {limit_mb} MB.")
            }
            UploadError::NotAccepted { declared } => write!(
                f,
                "Dit bestandstype ({declared}) wordt niet aanvaard. Toegestaan: PDF, Word (.docx), OpenDocument (.odt), tekst, e-mail (.eml), PNG en JPEG."
            ),
            UploadError::Mismatch { declared } => {
                write!(f, "De inhoud van het bestand past niet bij het opgegeven type ({declared}).")
            }
            UploadError::BadFileName => f.write_str("De bestandsnaam is ongeldig."),
        }
    }
}

/// Guesses the declared type from the file name where the browser sent none or a generic one.
pub fn type_from_file_name(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "eml" => "message/rfc822",
        _ => return None,
    })
}

/// A file name safe to store and to offer back: no path, no control characters, bounded.
pub fn clean_file_name(name: &str) -> Result<String, UploadError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return Err(UploadError::BadFileName);
    }
    Ok(cleaned.chars().take(200).collect())
}

/// Checks an upload and returns its canonical media type.
pub fn check(declared: &str, file_name: &str, bytes: &[u8]) -> Result<&'static str, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(UploadError::TooLarge { limit_mb: MAX_UPLOAD_BYTES / (1024 * 1024) });
    }
    let declared = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    // Browsers send application/octet-stream for types they do not know; fall back on the name.
    let wanted = match ACCEPTED.iter().find(|(t, _)| *t == declared) {
        Some((t, _)) => *t,
        None if declared.is_empty() || declared == "application/octet-stream" => {
            type_from_file_name(file_name).ok_or(UploadError::NotAccepted { declared: file_name.to_owned() })?
        }
        None => return Err(UploadError::NotAccepted { declared }),
    };
    if content_matches(wanted, bytes) { Ok(wanted) } else { Err(UploadError::Mismatch { declared: wanted.to_owned() }) }
}

fn content_matches(media_type: &str, bytes: &[u8]) -> bool {
    match media_type {
        "application/pdf" => bytes.starts_with(b"%PDF-"),
        "image/png" => infer::image::is_png(bytes),
        "image/jpeg" => infer::image::is_jpeg(bytes),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => infer::doc::is_docx(bytes),
        "application/vnd.oasis.opendocument.text" => infer::odf::is_odt(bytes),
        "text/plain" | "message/rfc822" => is_text(bytes),
        _ => false,
    }
}

/// Text: valid UTF-8 without NUL or other control bytes than tab, newline, carriage return
/// and form feed.
fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .is_ok_and(|s| s.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_matching_content() {
        assert_eq!(check("application/pdf", "a.pdf", b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(check("text/plain; charset=utf-8", "a.txt", "Geachte commissie,\n".as_bytes()), Ok("text/plain"));
        assert_eq!(check("image/png", "a.png", b"\x89PNG\r\n\x1a\n0000"), Ok("image/png"));
        assert_eq!(check("application/octet-stream", "brief.PDF", b"%PDF-1.4"), Ok("application/pdf"));
        assert_eq!(check("", "brief.txt", b"tekst"), Ok("text/plain"));
    }

    #[test]
    fn refuses_mismatch_empty_large_and_unknown() {
        assert_eq!(
            check("application/pdf", "a.pdf", b"MZ\x90\x00"),
            Err(UploadError::Mismatch { declared: "application/pdf".into() })
        );
        assert_eq!(
            check("text/plain", "a.txt", b"abc\x00def"),
            Err(UploadError::Mismatch { declared: "text/plain".into() })
        );
        assert_eq!(check("text/plain", "a.txt", b""), Err(UploadError::Empty));
        assert!(matches!(check("application/x-msdownload", "a.exe", b"MZ"), Err(UploadError::NotAccepted { .. })));
        assert!(matches!(check("application/octet-stream", "a.exe", b"MZ"), Err(UploadError::NotAccepted { .. })));
        let big = vec![b'a'; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(check("text/plain", "a.txt", &big), Err(UploadError::TooLarge { .. })));
    }

    #[test]
    fn file_names_lose_paths_and_controls() {
        assert_eq!(clean_file_name("C:\\Users\\x\\klacht.pdf").unwrap(), "klacht.pdf");
        assert_eq!(clean_file_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\r\n.txt").unwrap(), "ab.txt");
        assert_eq!(clean_file_name("dir/"), Err(UploadError::BadFileName));
        assert_eq!(clean_file_name(".."), Err(UploadError::BadFileName));
    }

    #[test]
    fn every_error_has_a_dutch_message() {
        for e in [
            UploadError::Empty,
            UploadError::TooLarge { limit_mb: 20 },
            UploadError::NotAccepted { declared: "x".into() },
            UploadError::Mismatch { declared: "x".into() },
            UploadError::BadFileName,
        ] {
            assert!(!e.to_string().is_empty());
        }
    }
}
