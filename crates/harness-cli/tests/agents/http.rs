//! Just enough HTTP/1.1 for the agents' clients: keep-alive, `Content-Length` and chunked request
//! bodies, whole (not streamed) responses.

use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Write};
use std::net::TcpStream;

use serde_json::Value;

pub struct HttpRequest {
    pub method: String,
    /// Path and query.
    pub path: String,
    /// The client asked to close the connection after this request.
    pub close: bool,
    pub body: Vec<u8>,
}

pub struct HttpResponse {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn json(status: u16, body: &Value) -> HttpResponse {
        HttpResponse {
            status,
            content_type: "application/json",
            body: body.to_string().into_bytes(),
        }
    }

    /// Server-sent events, each named by its `type`.
    pub fn sse(events: &[Value]) -> HttpResponse {
        let mut body = String::new();
        for event in events {
            let name = event["type"].as_str().unwrap_or("message");
            let _ = write!(body, "event: {name}\ndata: {event}\n\n");
        }
        HttpResponse {
            status: 200,
            content_type: "text/event-stream",
            body: body.into_bytes(),
        }
    }

    /// Server-sent events as `data:` lines only, the way the Gemini API streams.
    pub fn sse_data(events: &[Value]) -> HttpResponse {
        let mut body = String::new();
        for event in events {
            let _ = write!(body, "data: {event}\n\n");
        }
        HttpResponse {
            status: 200,
            content_type: "text/event-stream",
            body: body.into_bytes(),
        }
    }
}

/// Answers the requests of one connection with `handle` until the client closes it.
pub fn serve(stream: TcpStream, handle: impl Fn(&HttpRequest) -> HttpResponse) -> io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    while let Some(request) = read_request(&mut reader)? {
        let response = handle(&request);
        let reason = match response.status {
            200 => "OK",
            400 => "Bad Request",
            _ => "Not Found",
        };
        let head = format!(
            "HTTP/1.1 {} {reason}\r\ncontent-type: {}\r\ncontent-length: {}\r\ncache-control: no-cache\r\nconnection: {}\r\n\r\n",
            response.status,
            response.content_type,
            response.body.len(),
            if request.close { "close" } else { "keep-alive" },
        );
        writer.write_all(head.as_bytes())?;
        if request.method != "HEAD" {
            writer.write_all(&response.body)?;
        }
        writer.flush()?;
        if request.close {
            break;
        }
    }
    Ok(())
}

/// Reads one request; `None` when the client closed the connection between requests.
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<HttpRequest>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let http10 = parts.next() == Some("HTTP/1.0");
    let (mut length, mut chunked, mut close) = (0, false, http10);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().map_err(|_| io::ErrorKind::InvalidData)?,
            "transfer-encoding" => chunked = value.contains("chunked"),
            "connection" => close = value.contains("close"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunked(reader)?
    } else {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    };
    Ok(Some(HttpRequest {
        method,
        path,
        close,
        body,
    }))
}

fn read_chunked(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = line.trim().split(';').next().unwrap_or_default();
        let size = usize::from_str_radix(size, 16).map_err(|_| io::ErrorKind::InvalidData)?;
        if size == 0 {
            // Trailers, then the blank line that ends the body.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                    return Ok(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        line.clear();
        reader.read_line(&mut line)?;
    }
}
