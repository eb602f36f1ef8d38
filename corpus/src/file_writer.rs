//! Files written on a thread of their own, so that creating them overlaps
//! with the work that makes the next ones. Creating a file is the slowest
//! step of writing one here: the kernel looks for a free inode under the
//! folder's lock, so creating one folder's files from several threads only
//! makes them wait for each other. The site writer uses one per output
//! folder (shards, search chunks).

use std::io;
use std::path::PathBuf;

/// Writes files on a thread of its own, in the order they are handed over.
pub struct FileWriter {
    tx: Option<std::sync::mpsc::SyncSender<(PathBuf, Vec<u8>)>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl FileWriter {
    /// Files handed over but not yet written: a few, so that memory stays small.
    const QUEUE: usize = 8;

    pub fn start() -> io::Result<FileWriter> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(PathBuf, Vec<u8>)>(Self::QUEUE);
        let thread = std::thread::Builder::new()
            .name("file-writer".into())
            .spawn(move || {
                // The first error ends the queue (the senders see it closed).
                for (path, bytes) in rx {
                    std::fs::write(path, bytes)?;
                }
                Ok(())
            })?;
        Ok(FileWriter {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Queues a file; fails only when the writer has stopped (on an error,
    /// which [`FileWriter::finish`] returns).
    pub fn write(&self, path: PathBuf, bytes: Vec<u8>) -> io::Result<()> {
        self.tx
            .as_ref()
            .and_then(|tx| tx.send((path, bytes)).ok())
            .ok_or_else(|| io::Error::other("the file writer stopped"))
    }

    /// Waits until every queued file is written; the first error, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.tx = None;
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the file writer panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for FileWriter {
    fn drop(&mut self) {
        // Not finished (an error on the way): let the thread end.
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
