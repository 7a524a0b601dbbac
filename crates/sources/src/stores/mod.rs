pub(crate) mod emlx;
pub(crate) mod msg;
pub(crate) mod outlook;
mod props;
pub(crate) mod pst;
mod pst_file;
mod rebuild;
mod rtf;
