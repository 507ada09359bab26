//! A course's package: a `.zip` with the course file (the only `.md` at its top) and the
//! pictures and files its lessons name. Everything is read in memory and checked before any of
//! it is used: sizes are limited before anything is unpacked, so a zip bomb stops at the limit.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::course::{AttachmentKind, Course, CourseError, CourseErrorKind};

/// The largest package taken, packed.
pub const MAX_PACKAGE_BYTES: usize = 20 * 1024 * 1024;
/// The largest file in a package, unpacked (the course file keeps its own, smaller, limit).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The most unpacked bytes a package may hold in all.
pub const MAX_UNPACKED_BYTES: usize = 40 * 1024 * 1024;
/// The most files a package may hold.
pub const MAX_FILES: usize = 200;

/// A package's course file and its other files, by their path in the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub course_file: String,
    pub source: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackageError {
    #[error("the package has {0} bytes; at most {max} are taken", max = MAX_PACKAGE_BYTES)]
    TooLarge(usize),
    #[error("the file is not a .zip package: {0}")]
    NotZip(String),
    #[error("the package has no course file (.md) at its top")]
    NoCourseFile,
    #[error("the package has several course files: {0}")]
    SeveralCourseFiles(String),
    #[error("the package's file {name:?} has {size} bytes unpacked; at most {max} are taken", max = MAX_FILE_BYTES)]
    FileTooLarge { name: String, size: u64 },
    #[error("the package unpacks to more than {max} bytes", max = MAX_UNPACKED_BYTES)]
    UnpacksTooLarge,
    #[error("the package has more than {max} files", max = MAX_FILES)]
    TooManyFiles,
    #[error("the package's course file is not UTF-8 text")]
    NotText,
}

/// Reads a package, with every limit checked.
pub fn read_package(bytes: &[u8]) -> Result<Package, PackageError> {
    if bytes.len() > MAX_PACKAGE_BYTES {
        return Err(PackageError::TooLarge(bytes.len()));
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| PackageError::NotZip(e.to_string()))?;
    if archive.len() > MAX_FILES {
        return Err(PackageError::TooManyFiles);
    }
    let mut files = BTreeMap::new();
    let mut unpacked = 0usize;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| PackageError::NotZip(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        // Names that would leave the package (absolute, "..") are skipped, never followed.
        let Some(path) = entry.enclosed_name() else { continue };
        let name = path.to_string_lossy().replace('\\', "/");
        if name.starts_with("__MACOSX/") || name.rsplit('/').next().is_some_and(|n| n.starts_with("._")) {
            continue;
        }
        if entry.size() > MAX_FILE_BYTES as u64 {
            return Err(PackageError::FileTooLarge { name, size: entry.size() });
        }
        // The declared size may lie: read at most one byte past the limit to be sure.
        let mut content = Vec::new();
        entry
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut content)
            .map_err(|e| PackageError::NotZip(e.to_string()))?;
        if content.len() > MAX_FILE_BYTES {
            return Err(PackageError::FileTooLarge { name, size: content.len() as u64 });
        }
        unpacked += content.len();
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(PackageError::UnpacksTooLarge);
        }
        files.insert(name, content);
    }
    let course_files: Vec<String> = files
        .keys()
        .filter(|name| !name.contains('/') && name.to_lowercase().ends_with(".md"))
        .cloned()
        .collect();
    let course_file = match course_files.as_slice() {
        [] => return Err(PackageError::NoCourseFile),
        [one] => one.clone(),
        several => return Err(PackageError::SeveralCourseFiles(several.join(", "))),
    };
    let source = files.remove(&course_file).expect("listed above");
    let source = String::from_utf8(source).map_err(|_| PackageError::NotText)?;
    Ok(Package { course_file, source, files })
}

/// What szpon keeps of a lesson's file besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    pub name: String,
    pub mime: String,
    pub size: u64,
    /// A picture's width and height, in pixels.
    pub image: Option<(u32, u32)>,
}

/// A file's type (a picture's from its first bytes, anything else's from its name) and, for a
/// picture, its size in pixels.
pub fn describe(name: &str, bytes: &[u8]) -> FileInfo {
    let picture = imagesize::image_type(bytes).ok().and_then(|kind| {
        let mime = match kind {
            imagesize::ImageType::Png => "image/png",
            imagesize::ImageType::Jpeg => "image/jpeg",
            imagesize::ImageType::Gif => "image/gif",
            imagesize::ImageType::Webp => "image/webp",
            _ => return None,
        };
        let size = imagesize::blob_size(bytes).ok()?;
        Some((mime, (u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?)))
    });
    let (mime, image) = match picture {
        Some((mime, dimensions)) => (mime.to_owned(), Some(dimensions)),
        None => (mime_guess::from_path(name).first_or_octet_stream().essence_str().to_owned(), None),
    };
    FileInfo { name: name.to_owned(), mime, size: bytes.len() as u64, image }
}

/// Whether every picture and file the course's lessons name is at hand (in its package, or kept
/// from its previous version), and every picture is one; the first missing one is refused with
/// its line.
pub fn check_attachments(course: &Course, at_hand: &BTreeMap<String, FileInfo>) -> Result<(), CourseError> {
    for attachment in course.attachments() {
        let kind = match at_hand.get(&attachment.name) {
            None => CourseErrorKind::MissingFile(attachment.name.clone()),
            Some(info) if matches!(attachment.kind, AttachmentKind::Image { .. }) && info.image.is_none() => {
                CourseErrorKind::NotAnImage(attachment.name.clone())
            }
            Some(_) => continue,
        };
        return Err(CourseError { line: attachment.line, kind });
    }
    Ok(())
}

/// A package of a course file and its files, for export; read again, it is the same package.
pub fn write_package(course_file: &str, source: &str, files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let entries = std::iter::once((course_file, source.as_bytes()))
        .chain(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
    for (name, bytes) in entries {
        // Writing into memory fails only on a bug (a name written twice).
        writer.start_file(name, options).expect("a new name in a package in memory");
        writer.write_all(bytes).expect("writing into memory");
    }
    writer.finish().expect("finishing a package in memory").into_inner()
}

#[cfg(test)]
mod tests;
