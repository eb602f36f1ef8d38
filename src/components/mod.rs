//! The views, one component per file.

pub mod block;
pub mod density_strip;
pub mod event_card;
pub mod export_menu;
pub mod facets;
pub mod hit_nav;
pub mod link_notice;
pub mod load_error;
pub mod loading;
pub mod marked_text;
pub mod quote_button;
pub mod search_box;
pub mod search_passages;
pub mod speaker_filter;
pub mod speaker_page;
pub mod timeline;
pub mod transcript;
pub mod viewer;
pub mod word_share;
