//! A browser-like client: keeps cookies, shows the tests each answer as a page.

/// A browser: keeps cookies, does not follow redirects (tests look at them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn csrf(&self) -> String {
        testkit::csrf_in(&self.body).expect("page has a form")
    }

    /// The path a 303 points at, relative to the broker.
    pub fn location_path(&self, base: &str) -> String {
        let location = self.location.clone().expect("a redirect");
        location.strip_prefix(base).unwrap_or(&location).to_owned()
    }
}

impl Browser {
    pub async fn page(response: reqwest::Response) -> Page {
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned()),
            headers: response.headers().clone(),
            body: response.text().await.unwrap(),
        }
    }

    fn abs(&self, url: &str) -> String {
        if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        }
    }

    pub async fn get(&self, url: &str) -> Page {
        Browser::page(self.client.get(self.abs(url)).send().await.unwrap()).await
    }

    pub async fn get_with(&self, url: &str, header: (&str, &str)) -> Page {
        Browser::page(
            self.client
                .get(self.abs(url))
                .header(header.0, header.1)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, url: &str, form: &[(&str, &str)]) -> Page {
        Browser::page(
            self.client
                .post(self.abs(url))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }
}
