//! Flattened API v2 tweets (`twarc2 flatten`: one tweet per line, author
//! and referenced tweets embedded): four lines that twarc 2.14 itself wrote
//! from ../shared/data/tweets/twarc2-brexit.jsonl, kept here verbatim, read
//! to the same posts as the page they came from.

use std::io::Write;
use std::path::PathBuf;
use tamis_spread::input::{read_all, Filter, Format};
use tamis_spread::{Dataset, Post, PostKind, NONE};

const BREXIT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/tweets/twarc2-brexit.jsonl"
);

/// `twarc2 flatten twarc2-brexit.jsonl`: an original, a retweet, a quote
/// and a reply.
const FLAT: &str = r####"{"author_id": "127518166", "text": "Remember when everyone lost their minds when petrol crept over a \u00a31. Good times \n\n\u00a31.35 now. \ud83d\udc4e\ud83c\udffb #Brexit", "entities": {"hashtags": [{"start": 96, "end": 103, "tag": "Brexit"}]}, "reply_settings": "everyone", "conversation_id": "1440715453102387206", "possibly_sensitive": false, "source": "Twitter for iPhone", "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0}, "lang": "en", "id": "1440715453102387206", "created_at": "2021-09-22T16:31:45.000Z", "author": {"name": "Daniel lorenc", "verified": false, "description": "Live work and golf (try to) in", "protected": false, "id": "127518166", "username": "Zigmint", "profile_image_url": "https://pbs.twimg.com/profile_images/1347861955697123329/qHDcfaFA_normal.jpg", "url": "", "created_at": "2010-03-29T13:22:30.000Z", "public_metrics": {"followers_count": 46, "following_count": 195, "tweet_count": 909, "listed_count": 1}, "location": "belfast"}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100", "version": "2.5.0", "retrieved_at": "2021-09-22T16:38:09+00:00"}}
{"author_id": "334544987", "text": "RT @NearlyThere19: Austrian TV news currently reporting on gas shortages and resulting consequences in the UK, on top of food shortages in\u2026", "entities": {"annotations": [{"start": 107, "end": 108, "probability": 0.9861, "type": "Place", "normalized_text": "UK"}], "mentions": [{"start": 3, "end": 17, "username": "NearlyThere19", "id": "435885014", "name": "More European than ever \ud83c\udf08\ud83d\udc99\ud83d\udc1f#FBPPR #FBPE", "verified": false, "description": "Proud European. Embarrassed by our illegitimate, criminal Government: let's make their life hell. Horrified by the lack of sane opposition.", "protected": false, "profile_image_url": "https://pbs.twimg.com/profile_images/1344269717989687302/LyG7KZxi_normal.jpg", "url": "", "created_at": "2011-12-13T15:08:09.000Z", "public_metrics": {"followers_count": 3366, "following_count": 2116, "tweet_count": 99959, "listed_count": 18}, "location": "Cosy Flat "}]}, "referenced_tweets": [{"type": "retweeted", "id": "1440558593443467278", "author_id": "435885014", "text": "Austrian TV news currently reporting on gas shortages and resulting consequences in the UK, on top of food shortages in supermarkets, with clear up front messaging they are due to #Brexit. Just saying.", "entities": {"hashtags": [{"start": 180, "end": 187, "tag": "Brexit"}], "annotations": [{"start": 88, "end": 89, "probability": 0.9858, "type": "Place", "normalized_text": "UK"}]}, "reply_settings": "everyone", "conversation_id": "1440558593443467278", "possibly_sensitive": false, "source": "Twitter for Android", "public_metrics": {"retweet_count": 116, "reply_count": 3, "like_count": 230, "quote_count": 4}, "lang": "en", "created_at": "2021-09-22T06:08:27.000Z", "author": {"name": "More European than ever \ud83c\udf08\ud83d\udc99\ud83d\udc1f#FBPPR #FBPE", "verified": false, "description": "Proud European. Embarrassed by our illegitimate, criminal Government: let's make their life hell. Horrified by the lack of sane opposition.", "protected": false, "id": "435885014", "username": "NearlyThere19", "profile_image_url": "https://pbs.twimg.com/profile_images/1344269717989687302/LyG7KZxi_normal.jpg", "url": "", "created_at": "2011-12-13T15:08:09.000Z", "public_metrics": {"followers_count": 3366, "following_count": 2116, "tweet_count": 99959, "listed_count": 18}, "location": "Cosy Flat "}}], "reply_settings": "everyone", "conversation_id": "1440716207280164879", "possibly_sensitive": false, "source": "Twitter for Android", "public_metrics": {"retweet_count": 116, "reply_count": 0, "like_count": 0, "quote_count": 0}, "lang": "en", "id": "1440716207280164879", "created_at": "2021-09-22T16:34:45.000Z", "author": {"name": "seuss [ sue]", "verified": false, "description": "Mature student, BA & MA politics (Newcastle Uni) 2011-16. EU Rejoiner, Labour, ex teacher, England cricket & Newc Utd fan. Rescue lurcher & beddie owner", "protected": false, "id": "334544987", "username": "seusssl", "profile_image_url": "https://pbs.twimg.com/profile_images/1223529755187798016/HHdTPLSR_normal.jpg", "url": "", "created_at": "2011-07-13T08:12:29.000Z", "public_metrics": {"followers_count": 1636, "following_count": 4985, "tweet_count": 268710, "listed_count": 60}, "location": "northumberland. uk."}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100", "version": "2.5.0", "retrieved_at": "2021-09-22T16:38:09+00:00"}}
{"entities": {"urls": [{"start": 188, "end": 211, "url": "https://t.co/qVIoASO7GF", "expanded_url": "https://twitter.com/SiobhanBenita/status/1440568770745946125", "display_url": "twitter.com/SiobhanBenita/\u2026"}], "hashtags": [{"start": 96, "end": 103, "tag": "Brexit"}, {"start": 142, "end": 161, "tag": "ToryBrexitDisaster"}, {"start": 163, "end": 173, "tag": "ToriesOut"}, {"start": 175, "end": 186, "tag": "JohnsonOut"}], "annotations": [{"start": 42, "end": 57, "probability": 0.8757, "type": "Place", "normalized_text": "Northern Ireland"}]}, "author_id": "705427324964093952", "text": "It's high time they had a trade deal with Northern Ireland. Oh sorry, I forgot. That oven-ready #Brexit deal screwed that up good and proper. #ToryBrexitDisaster, #ToriesOut, #JohnsonOut. https://t.co/qVIoASO7GF", "referenced_tweets": [{"type": "quoted", "id": "1440568770745946125", "author_id": "21645209", "text": "Who knew that \u201cGlobal Britain\u201d meant not having a trade deal with the EU or the US?  \n\n#ToryBrexitDisaster \n#ToryShambles", "entities": {"hashtags": [{"start": 87, "end": 106, "tag": "ToryBrexitDisaster"}, {"start": 108, "end": 121, "tag": "ToryShambles"}], "annotations": [{"start": 22, "end": 28, "probability": 0.2693, "type": "Place", "normalized_text": "Britain"}, {"start": 80, "end": 81, "probability": 0.7814, "type": "Place", "normalized_text": "US"}]}, "reply_settings": "everyone", "conversation_id": "1440568770745946125", "possibly_sensitive": false, "source": "Twitter for iPhone", "public_metrics": {"retweet_count": 247, "reply_count": 55, "like_count": 741, "quote_count": 13}, "lang": "en", "created_at": "2021-09-22T06:48:54.000Z", "author": {"name": "Siobhan Benita", "verified": true, "description": "Former Civil Servant. Politically homeless.  #RejoinEU #ElectoralReform  Mail: siobhan@siobhanbenita.com", "protected": false, "id": "21645209", "username": "SiobhanBenita", "profile_image_url": "https://pbs.twimg.com/profile_images/1296787390036676609/qdUf_yh__normal.jpg", "url": "https://t.co/EGDUw6PSLy", "created_at": "2009-02-23T10:59:22.000Z", "public_metrics": {"followers_count": 28170, "following_count": 3294, "tweet_count": 14454, "listed_count": 217}, "location": "London", "entities": {"url": {"urls": [{"start": 0, "end": 23, "url": "https://t.co/EGDUw6PSLy", "expanded_url": "http://www.siobhanbenita.com", "display_url": "siobhanbenita.com"}]}, "description": {"hashtags": [{"start": 45, "end": 54, "tag": "RejoinEU"}, {"start": 55, "end": 71, "tag": "ElectoralReform"}]}}}}], "reply_settings": "everyone", "conversation_id": "1440714183981428741", "possibly_sensitive": false, "source": "Twitter Web App", "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0}, "lang": "en", "id": "1440714183981428741", "created_at": "2021-09-22T16:26:43.000Z", "author": {"name": "Jaz McDuff #FBPE #FBNHS #ProgressiveAlliance", "verified": false, "description": "PhD, FInstP, FIEE, CEng. Academic, Entrepreneur. Charlton, Labour & EU.\nDual national (CH, UK). Speak German & French.", "protected": false, "id": "705427324964093952", "username": "JasperThinks", "profile_image_url": "https://pbs.twimg.com/profile_images/1360992412198461441/7ujffsE3_normal.jpg", "url": "", "created_at": "2016-03-03T16:19:15.000Z", "public_metrics": {"followers_count": 866, "following_count": 1499, "tweet_count": 5988, "listed_count": 1}, "location": "London, UK"}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100", "version": "2.5.0", "retrieved_at": "2021-09-22T16:38:09+00:00"}}
{"context_annotations": [{"domain": {"id": "47", "name": "Brand", "description": "Brands and Companies"}, "entity": {"id": "1100765157339234304", "name": "Sky News", "description": "Sky News"}}], "author_id": "226914581", "text": "@SkyNewsBreak Shame we are not involved. Surely it\u2019s not because of #brexit", "entities": {"hashtags": [{"start": 68, "end": 75, "tag": "brexit"}], "mentions": [{"start": 0, "end": 13, "username": "SkyNewsBreak", "id": "87416722", "name": "Sky News Breaking", "verified": true, "description": "The latest breaking news, direct from the Sky News team. Tweet @skynews with any questions or queries.", "protected": false, "profile_image_url": "https://pbs.twimg.com/profile_images/1400331894638665729/xmSDustN_normal.jpg", "url": "http://t.co/EIlY6uS0D1", "created_at": "2009-11-04T11:25:45.000Z", "public_metrics": {"followers_count": 4792189, "following_count": 3, "tweet_count": 55406, "listed_count": 21149}, "location": "London, UK", "entities": {"url": {"urls": [{"start": 0, "end": 22, "url": "http://t.co/EIlY6uS0D1", "expanded_url": "http://www.skynews.com/", "display_url": "skynews.com"}]}, "description": {"mentions": [{"start": 63, "end": 71, "username": "skynews"}]}}}]}, "in_reply_to_user_id": "87416722", "referenced_tweets": [{"type": "replied_to", "id": "1440700664632397832", "context_annotations": [{"domain": {"id": "47", "name": "Brand", "description": "Brands and Companies"}, "entity": {"id": "1100765157339234304", "name": "Sky News", "description": "Sky News"}}, {"domain": {"id": "123", "name": "Ongoing News Story", "description": "Ongoing News Stories like 'Brexit'"}, "entity": {"id": "1220701888179359745", "name": "COVID-19"}}, {"domain": {"id": "10", "name": "Person", "description": "Named people in the world like Nelson Mandela"}, "entity": {"id": "10040395078", "name": "Joe Biden", "description": "US President Joe Biden"}}, {"domain": {"id": "35", "name": "Politician", "description": "Politicians in the world, like Joe Biden"}, "entity": {"id": "10040395078", "name": "Joe Biden", "description": "US President Joe Biden"}}], "entities": {"urls": [{"start": 174, "end": 197, "url": "https://t.co/8OWd2TNmj1", "expanded_url": "http://news.sky.com", "display_url": "news.sky.com"}], "annotations": [{"start": 0, "end": 3, "probability": 0.7958, "type": "Place", "normalized_text": "U.S."}, {"start": 15, "end": 23, "probability": 0.771, "type": "Person", "normalized_text": "Joe Biden"}]}, "author_id": "87416722", "text": "U.S. President Joe Biden has announced the launch of an EU-U.S. COVID vaccine partnership to work more closely together to stop COVID \n\nFor more on this and other news visit https://t.co/8OWd2TNmj1", "reply_settings": "everyone", "conversation_id": "1440700664632397832", "possibly_sensitive": false, "source": "TweetDeck", "public_metrics": {"retweet_count": 33, "reply_count": 44, "like_count": 129, "quote_count": 17}, "lang": "en", "created_at": "2021-09-22T15:33:00.000Z", "author": {"name": "Sky News Breaking", "verified": true, "description": "The latest breaking news, direct from the Sky News team. Tweet @skynews with any questions or queries.", "protected": false, "id": "87416722", "username": "SkyNewsBreak", "profile_image_url": "https://pbs.twimg.com/profile_images/1400331894638665729/xmSDustN_normal.jpg", "url": "http://t.co/EIlY6uS0D1", "created_at": "2009-11-04T11:25:45.000Z", "public_metrics": {"followers_count": 4792189, "following_count": 3, "tweet_count": 55406, "listed_count": 21149}, "location": "London, UK", "entities": {"url": {"urls": [{"start": 0, "end": 22, "url": "http://t.co/EIlY6uS0D1", "expanded_url": "http://www.skynews.com/", "display_url": "skynews.com"}]}, "description": {"mentions": [{"start": 63, "end": 71, "username": "skynews"}]}}}}], "reply_settings": "everyone", "conversation_id": "1440700664632397832", "possibly_sensitive": false, "source": "Twitter Web App", "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0}, "lang": "en", "id": "1440714725235388422", "created_at": "2021-09-22T16:28:52.000Z", "author": {"name": "Jim Metcalf", "verified": false, "description": "Lifetime Bury resident, and enthusiastic outdoor person - walking, climbing, mountain biking in as many far flung places as possible.", "protected": false, "id": "226914581", "username": "jimrmet", "profile_image_url": "https://pbs.twimg.com/profile_images/378800000505221048/dd6e27a2b9bf523f56f22477873b8265_normal.jpeg", "url": "", "created_at": "2010-12-15T12:10:44.000Z", "public_metrics": {"followers_count": 161, "following_count": 582, "tweet_count": 6299, "listed_count": 2}}, "in_reply_to_user": {"name": "Sky News Breaking", "verified": true, "description": "The latest breaking news, direct from the Sky News team. Tweet @skynews with any questions or queries.", "protected": false, "id": "87416722", "username": "SkyNewsBreak", "profile_image_url": "https://pbs.twimg.com/profile_images/1400331894638665729/xmSDustN_normal.jpg", "url": "http://t.co/EIlY6uS0D1", "created_at": "2009-11-04T11:25:45.000Z", "public_metrics": {"followers_count": 4792189, "following_count": 3, "tweet_count": 55406, "listed_count": 21149}, "location": "London, UK", "entities": {"url": {"urls": [{"start": 0, "end": 22, "url": "http://t.co/EIlY6uS0D1", "expanded_url": "http://www.skynews.com/", "display_url": "skynews.com"}]}, "description": {"mentions": [{"start": 63, "end": 71, "username": "skynews"}]}}}, "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100", "version": "2.5.0", "retrieved_at": "2021-09-22T16:38:09+00:00"}}
"####;

#[test]
fn flattened_tweets_read_like_their_page() {
    let mut file = tempfile::NamedTempFile::new().expect("temp");
    file.write_all(FLAT.as_bytes()).expect("write");
    let paths = [file.path().to_path_buf()];
    let (flat, report) = read_all(&paths, &Filter::default(), &|_| {}).expect("read");
    assert_eq!(report.files[0].format, Format::TwitterV2);
    assert_eq!(report.files[0].records, 4);
    assert_eq!(report.files[0].malformed, 0);
    let mut kinds: Vec<PostKind> = flat.posts.iter().map(|p| p.kind).collect();
    kinds.sort_by_key(|k| format!("{k:?}"));
    assert_eq!(
        kinds,
        [
            PostKind::Original,
            PostKind::Quote,
            PostKind::Reply,
            PostKind::Retweet
        ]
    );
    // The retweeted and quoted tweets' authors come from the embedded copies.
    assert_eq!(flat.accounts.len(), 6);
    assert_eq!(flat.object_times.len(), 2);
    assert_eq!(flat.object_authors.len(), 2);

    let (page, _) = read_all(&[PathBuf::from(BREXIT)], &Filter::default(), &|_| {}).expect("read");
    for post in &flat.posts {
        let key = &flat.accounts[post.account as usize].key;
        let twin = page
            .posts
            .iter()
            .find(|p| p.time == post.time && &page.accounts[p.account as usize].key == key)
            .expect("the same tweet in the page");
        assert_eq!(post.kind, twin.kind);
        assert_eq!(post.text_hash, twin.text_hash);
        assert_eq!(names(&flat, post), names(&page, twin));
        let (a, b) = (
            &flat.accounts[post.account as usize],
            &page.accounts[twin.account as usize],
        );
        assert_eq!(
            (
                &a.screen_name,
                a.created_at,
                a.followers,
                a.friends,
                a.statuses,
                a.verified,
                &a.location
            ),
            (
                &b.screen_name,
                b.created_at,
                b.followers,
                b.friends,
                b.statuses,
                b.verified,
                &b.location
            )
        );
        if post.shared != NONE {
            let shared = |d: &Dataset, p: &Post| {
                let object = p.shared;
                let author = &d.accounts[d.object_authors[&object] as usize];
                (
                    d.objects.name(object).to_owned(),
                    d.object_times[&object],
                    author.screen_name.clone(),
                )
            };
            assert_eq!(shared(&flat, post), shared(&page, twin));
        }
    }
}

fn names(dataset: &Dataset, post: &Post) -> (Vec<String>, Vec<String>, Option<String>) {
    (
        post.hashtags
            .iter()
            .map(|&t| dataset.tags.name(t).to_owned())
            .collect(),
        post.urls
            .iter()
            .map(|&u| dataset.urls.name(u).to_owned())
            .collect(),
        (post.lang != NONE).then(|| dataset.langs.name(post.lang).to_owned()),
    )
}
