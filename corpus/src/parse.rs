//! The kremlin.ru "text version" export parser.
