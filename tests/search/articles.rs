//! The articles of a site folder as the search index reads them: loaded by
//! Gazette's load phase, each turned into its [`DocMeta`] and [`DocTerms`].
//! What the build will do once it plans the index; until then the
//! relevance test (`tests/search.rs`) and the benchmark harness
//! (`examples/search_index.rs`) share it.

use std::path::Path;

use gazette::config::{Config, SitePaths};
use gazette::load::{self, Article, ArticleMeta};
use gazette::slug::Slug;
use gazette::urls;
use rayon::prelude::*;

use crate::search::{Doc, DocMeta, DocTerms, Document, Facet, FacetValue, Language, terms_of};

/// Every article of the site at `root` (its `content/` and `site.yaml`).
pub fn load_site(root: &Path) -> (Config, Vec<Article>) {
    let paths = SitePaths::new(root, None);
    let config = Config::load(&paths).expect("site.yaml");
    let found = load::discover(&paths.content).expect("content/");
    let opts = config.load_options();
    let articles: Vec<Article> = found
        .sources
        .par_iter()
        .filter(|s| s.is_article())
        .map(|s| load::read_article(s, &s.path, &opts).unwrap_or_else(|e| panic!("{}: {e:?}", s.rel)))
        .collect();
    (config, articles)
}

/// An article's terms, as the build will tokenize it.
pub fn terms(article: &Article, lang: &Language) -> DocTerms {
    let meta = &article.meta;
    let byline: Vec<&str> = meta.authors.iter().map(|a| a.name.as_str()).collect();
    let doc = Document {
        headline: &meta.title,
        standfirst: if meta.summary.written { &meta.summary.text } else { "" },
        byline: &byline,
        dateline: meta.location.as_deref().unwrap_or_default(),
        body: &article.body,
    };
    terms_of(&doc, lang)
}

fn value(label: &str) -> Option<FacetValue<'static>> {
    Some(FacetValue { slug: Slug::from_text(label)?.as_str().to_string().into(), label: label.to_string().into() })
}

/// What the index is given of every article: its key, day, terms and a
/// key of what its result shows (`shows`).
pub fn doc<'a>(meta: &'a ArticleMeta, terms: &'a DocTerms, shows: &DocMeta<'_>) -> Doc<'a> {
    Doc { key: &meta.source, date: meta.date.at.date_naive(), terms, shows: gazette::keys::of_hash(shows) }
}

/// What a search result shows of an article, and its filters.
pub fn meta<'a>(meta: &'a ArticleMeta, config: &Config) -> DocMeta<'a> {
    let day = meta.date.at.date_naive();
    let page = config.permalink.render(day, meta.slug.as_str());
    let mut facets: Vec<(Facet, FacetValue)> = meta
        .authors
        .iter()
        .map(|a| (Facet::Author, FacetValue { slug: a.slug.as_str().into(), label: a.name.as_str().into() }))
        .collect();
    facets.extend(meta.location.as_deref().and_then(value).map(|v| (Facet::Place, v)));
    let extra = meta.extra.to_map();
    let section = meta.categories.first().map(String::as_str).or_else(|| extra.get("section").and_then(|s| s.as_str()));
    facets.extend(section.and_then(value).map(|v| (Facet::Section, v)));
    facets.extend(meta.tags.iter().filter_map(|t| value(t)).map(|v| (Facet::Tag, v)));
    DocMeta {
        headline: meta.title.as_str().into(),
        url: urls::relative("search/", &page),
        date_text: config.date_format.format(&meta.date.at),
        byline: meta.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ").into(),
        dateline: meta.location.as_deref().unwrap_or_default().into(),
        excerpt: meta.summary.text.as_str().into(),
        facets,
    }
}
