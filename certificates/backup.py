"""Files of the certificates app whose SHA-256 the database records (checked by the restore drill)."""

from portal.backup import FileHashes

FILE_HASHES = [
    FileHashes(
        label="证明PDF",
        folder="certificates",
        sql="SELECT pdf_name, pdf_sha256 FROM certificates_certificate WHERE pdf_sha256 <> '' ORDER BY id",
    ),
    FileHashes(
        label="申请材料",
        folder="certificates",
        sql="SELECT stored_name, sha256 FROM certificates_attachment ORDER BY id",
    ),
]
