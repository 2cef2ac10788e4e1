//! A tiny static file server on 127.0.0.1 for a built site, optionally under a path prefix
//! (`/layerlab/`), as GitHub Pages serves a project site. std only; one thread per connection.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::thread;

/// A running server; it lives as long as the test process.
pub struct StaticServer {
    pub port: u16,
    pub prefix: String,
}

impl StaticServer {
    /// Serves `root` under `prefix` (which starts and ends with `/`) on a free loopback port.
    pub fn start(root: &Path, prefix: &str) -> std::io::Result<StaticServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let root = root.to_path_buf();
        let pre = prefix.to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, pre) = (root.clone(), pre.clone());
                thread::spawn(move || {
                    let _ = serve(stream, &root, &pre);
                });
            }
        });
        Ok(StaticServer {
            port,
            prefix: prefix.to_string(),
        })
    }

    /// The site's URL (with its prefix).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.prefix)
    }
}

fn serve(mut stream: TcpStream, root: &Path, prefix: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; the body of a GET is empty.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let (status, body, mime) = match resolve(root, prefix, path) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => ("200 OK", bytes, mime_of(&file)),
            Err(_) => ("404 Not Found", b"not found".to_vec(), "text/plain"),
        },
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Maps a URL path to a file under `root`, refusing anything outside it.
fn resolve(root: &Path, prefix: &str, url_path: &str) -> Option<PathBuf> {
    let rest = url_path.strip_prefix(prefix).or_else(|| {
        (url_path.to_string() + "/")
            .strip_prefix(prefix)
            .map(|_| "")
    })?;
    let mut file = root.to_path_buf();
    for comp in Path::new(rest).components() {
        match comp {
            Component::Normal(c) => file.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn mime_of(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_inside_root_and_under_prefix() {
        let root = std::env::temp_dir().join(format!("ll-srv-{}", std::process::id()));
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("index.html"), "x").unwrap();
        std::fs::write(root.join("a/b.js"), "x").unwrap();
        assert_eq!(resolve(&root, "/", "/"), Some(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/p/", "/p/a/b.js"),
            Some(root.join("a/b.js"))
        );
        assert_eq!(resolve(&root, "/p/", "/p"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/p/", "/a/b.js"), None);
        assert_eq!(resolve(&root, "/", "/../etc/passwd"), None);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
