#!/usr/bin/env python3
"""bench/gen_wordpress.py: write a WordPress export (WXR 1.2) of N posts, for bench/wordpress.sh.

Usage: gen_wordpress.py --posts N --out EXPORT.xml [--uploads DIR] [--seed S]

The posts are like a newsroom's: two thirds written in the classic editor (paragraphs
parted by blank lines, captions as [caption] shortcodes), a third in the block editor
(<!-- wp:... --> comments, figures with captions, a table now and then); bodies of
3 to 12 paragraphs with links, emphasis, lists and quotes; nested categories, tags,
an author from a newsroom of 40, a featured image (an attachment item) for every
other post. Now and then a [gallery] or [embed], a draft, a scheduled post, a private
one, a page and menu items, so every path of the import runs. Deterministic for a
seed. With --uploads DIR, the original of every image is written there (a few bytes
each), as a copy of wp-content/uploads would hold it.
"""

import argparse
import os
import random
from datetime import datetime, timedelta

WORDS = (
    "harbour council ferry quay storm budget vote crane berth tide lighthouse fishing fleet "
    "market dredging pilot regatta lifeboat crew ward mayor school road bridge bus rail "
    "port cargo container strike union wages rent housing clinic hospital nurse police "
    "court judge report plan inquiry review committee residents traders visitors season "
    "weather wind rain flood warning repairs contract tender delay cost million jobs"
).split()
SECTIONS = {
    "news": ("News", ["local", "politics", "courts"]),
    "business": ("Business", ["shipping", "markets"]),
    "sport": ("Sport", ["sailing", "football"]),
    "culture": ("Culture", []),
}
AUTHORS = [(f"reporter{i}", f"{first} {last}") for i, (first, last) in enumerate(
    (f, l) for f in ("Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal")
    for l in ("Lee", "Chen", "Okafor", "Novak", "Silva"))]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng):
    text = words(rng, rng.randint(8, 22)).capitalize()
    roll = rng.random()
    if roll < 0.15:
        text += f', said <em>{words(rng, 2).title()}</em>'
    elif roll < 0.3:
        text += f' (<a href="https://example.org/{rng.randint(2015, 2024)}/0{rng.randint(1, 9)}/{rng.randint(10, 28)}/{words(rng, 3).replace(" ", "-")}/">earlier story</a>)'
    elif roll < 0.38:
        text += f' <strong>{words(rng, 3)}</strong>'
    return text + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def upload(day, name, size=None):
    suffix = f"-{size}" if size else ""
    return f"https://example.org/wp-content/uploads/{day:%Y/%m}/{name}{suffix}.jpg"


def classic_body(rng, day, image):
    parts = []
    for i in range(rng.randint(3, 12)):
        roll = rng.random()
        if i == 1 and image:
            parts.append(
                f'[caption id="attachment_1" align="alignnone" width="300"]<a href="{upload(day, image)}">'
                f'<img class="size-medium" src="{upload(day, image, "300x200")}" alt="{words(rng, 4)}" '
                f'width="300" height="200" /></a> {sentence(rng)}[/caption]')
        elif roll < 0.08:
            items = "\n".join(f"<li>{words(rng, 6)}</li>" for _ in range(rng.randint(2, 5)))
            parts.append(f"<ul>\n{items}\n</ul>")
        elif roll < 0.14:
            parts.append(f"<blockquote>{paragraph(rng)}</blockquote>")
        elif roll < 0.17:
            parts.append(f"<h2>{words(rng, 4).title()}</h2>")
        elif roll < 0.18:
            parts.append('[gallery ids="1,2,3"]')
        elif roll < 0.19:
            parts.append(f"[embed]https://video.example/watch/{rng.randint(1, 10**6)}[/embed]")
        else:
            text = paragraph(rng)
            if rng.random() < 0.2:
                text += "\n" + sentence(rng)
            parts.append(text)
        if i == 0:
            parts.append("<!--more-->")
    return "\n\n".join(parts)


def block_body(rng, day, image):
    parts = []
    for i in range(rng.randint(3, 12)):
        roll = rng.random()
        if i == 1 and image:
            parts.append(
                f'<!-- wp:image {{"id":1,"sizeSlug":"large"}} -->\n<figure class="wp-block-image size-large">'
                f'<img src="{upload(day, image, "1024x683")}" alt="{words(rng, 4)}" class="wp-image-1"/>'
                f'<figcaption class="wp-element-caption">{sentence(rng)}</figcaption></figure>\n<!-- /wp:image -->')
        elif roll < 0.06:
            rows = "".join(f"<tr><td>{words(rng, 1)}</td><td>{rng.randint(1, 99)}</td></tr>" for _ in range(3))
            parts.append(
                '<!-- wp:table -->\n<figure class="wp-block-table"><table><thead><tr><th>Item</th><th>Count</th>'
                f"</tr></thead><tbody>{rows}</tbody></table></figure>\n<!-- /wp:table -->")
        elif roll < 0.12:
            items = "".join(f"<li>{words(rng, 6)}</li>" for _ in range(rng.randint(2, 5)))
            parts.append(f'<!-- wp:list -->\n<ul class="wp-block-list">{items}</ul>\n<!-- /wp:list -->')
        elif roll < 0.15:
            parts.append(f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{words(rng, 4).title()}</h2>\n<!-- /wp:heading -->')
        else:
            parts.append(f"<!-- wp:paragraph -->\n<p>{paragraph(rng)}</p>\n<!-- /wp:paragraph -->")
    return "\n\n".join(parts)


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def item(out, **f):
    out.write("\t<item>\n")
    out.write(f"\t\t<title>{cdata(f['title'])}</title>\n")
    out.write(f"\t\t<link>{f['link']}</link>\n")
    out.write(f"\t\t<dc:creator>{cdata(f['creator'])}</dc:creator>\n")
    out.write(f"\t\t<guid isPermaLink=\"false\">https://example.org/?p={f['id']}</guid>\n")
    out.write("\t\t<description></description>\n")
    out.write(f"\t\t<content:encoded>{cdata(f.get('content', ''))}</content:encoded>\n")
    out.write(f"\t\t<excerpt:encoded>{cdata(f.get('excerpt', ''))}</excerpt:encoded>\n")
    out.write(f"\t\t<wp:post_id>{f['id']}</wp:post_id>\n")
    out.write(f"\t\t<wp:post_date>{cdata(f['date'])}</wp:post_date>\n")
    out.write(f"\t\t<wp:post_date_gmt>{cdata(f['gmt'])}</wp:post_date_gmt>\n")
    out.write(f"\t\t<wp:post_name>{cdata(f['name'])}</wp:post_name>\n")
    out.write(f"\t\t<wp:status>{cdata(f['status'])}</wp:status>\n")
    out.write(f"\t\t<wp:post_parent>{f.get('parent', 0)}</wp:post_parent>\n")
    out.write(f"\t\t<wp:post_type>{cdata(f['type'])}</wp:post_type>\n")
    out.write(f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n")
    if "attachment_url" in f:
        out.write(f"\t\t<wp:attachment_url>{cdata(f['attachment_url'])}</wp:attachment_url>\n")
    for domain, slug, name in f.get("terms", []):
        out.write(f'\t\t<category domain="{domain}" nicename="{slug}">{cdata(name)}</category>\n')
    for key, value in f.get("meta", []):
        out.write(f"\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
                  f"\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>\n")
    out.write("\t</item>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--uploads")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
                  '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
                  '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
                  '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
                  '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
                  '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
                  "\t<title>The Benchmark Gazette</title>\n\t<link>https://example.org</link>\n"
                  "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
                  "\t<wp:base_site_url>https://example.org</wp:base_site_url>\n"
                  "\t<wp:base_blog_url>https://example.org</wp:base_blog_url>\n")
        for i, (login, name) in enumerate(AUTHORS):
            out.write(f"\t<wp:author><wp:author_id>{i + 1}</wp:author_id><wp:author_login>{cdata(login)}"
                      f"</wp:author_login><wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>\n")
        term_id = 1
        for slug, (name, children) in SECTIONS.items():
            term_id += 1
            out.write(f"\t<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(slug)}"
                      f"</wp:category_nicename><wp:category_parent>{cdata('')}</wp:category_parent>"
                      f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n")
            for child in children:
                term_id += 1
                out.write(f"\t<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(child)}"
                          f"</wp:category_nicename><wp:category_parent>{cdata(slug)}</wp:category_parent>"
                          f"<wp:cat_name>{cdata(child.title())}</wp:cat_name></wp:category>\n")
        start = datetime(2010, 1, 1, 6, 0)
        step = timedelta(minutes=(15 * 365 * 24 * 60) // max(args.posts, 1))
        post_id = 1000
        for n in range(args.posts):
            post_id += 1
            local = start + step * n + timedelta(minutes=rng.randint(0, 59))
            offset = timedelta(hours=4 if 3 <= local.month <= 10 else 5)
            title = words(rng, rng.randint(4, 9)).title()
            slug = f"{title.lower().replace(' ', '-')}-{post_id}"
            image = f"photo-{post_id}" if n % 2 == 0 else None
            body = (block_body if n % 3 == 0 else classic_body)(rng, local, image)
            section = rng.choice(list(SECTIONS))
            children = SECTIONS[section][1]
            category = rng.choice(children) if children and rng.random() < 0.6 else section
            status = "publish"
            roll = rng.random()
            if roll < 0.01:
                status = "draft"
            elif roll < 0.015:
                status = "future"
            elif roll < 0.017:
                status = "private"
            terms = [("category", category, category.title())]
            terms += [("post_tag", t, t) for t in sorted({rng.choice(WORDS) for _ in range(rng.randint(1, 5))})]
            meta = [("_thumbnail_id", str(post_id + 500000))] if image else []
            fields = dict(
                title=title, link=f"https://example.org/{local:%Y/%m/%d}/{slug}/", creator=rng.choice(AUTHORS)[0],
                id=post_id, content=body, excerpt=sentence(rng) if rng.random() < 0.3 else "",
                date=f"{local:%Y-%m-%d %H:%M:%S}",
                gmt="0000-00-00 00:00:00" if status == "draft" else f"{local + offset:%Y-%m-%d %H:%M:%S}",
                name=slug, status=status, type="post", terms=terms, meta=meta)
            item(out, **fields)
            if image:
                url = upload(local, image)
                item(out, title=image, link=f"https://example.org/?attachment_id={post_id + 500000}",
                     creator=fields["creator"], id=post_id + 500000, date=fields["date"], gmt=fields["gmt"],
                     name=image, status="inherit", type="attachment", parent=post_id, attachment_url=url)
                if args.uploads:
                    path = os.path.join(args.uploads, f"{local:%Y/%m}", f"{image}.jpg")
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w") as photo:
                        photo.write(image)
            if n % 1000 == 0:
                item(out, title=f"Page {n}", link=f"https://example.org/page-{n}/", creator="reporter0",
                     id=2000000 + n, content=paragraph(rng), date=fields["date"], gmt=fields["gmt"],
                     name=f"page-{n}", status="publish", type="page")
                item(out, title="", link="", creator="reporter0", id=3000000 + n, date=fields["date"],
                     gmt=fields["gmt"], name=f"menu-{n}", status="publish", type="nav_menu_item")
        out.write("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
