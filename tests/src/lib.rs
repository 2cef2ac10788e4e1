//! Support code for Layerlab's end-to-end tests: a static file server for the built site and a
//! headless Chromium session driven over WebDriver.

pub mod action;
pub mod browser;
pub mod check;
pub mod find;
pub mod page;
pub mod paths;
pub mod server;
pub mod site;
