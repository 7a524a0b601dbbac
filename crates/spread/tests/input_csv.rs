//! CSV layouts: twarc-csv (five rows that twarc-csv 0.7.2 itself wrote
//! from ../shared/data/tweets/twarc2-brexit.jsonl, kept here verbatim) and
//! the information-operations archives' layout.

use std::io::Write;
use std::path::PathBuf;
use tamis_spread::input::{read_all, read_file, Filter, Format};
use tamis_spread::{Dataset, PostKind, NONE};

const BREXIT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/tweets/twarc2-brexit.jsonl"
);

/// `twarc2 csv twarc2-brexit.jsonl` (twarc-csv 0.7.2), header and five
/// rows: an original, two retweets of one tweet, a quote, a reply.
const TWARC_CSV: &str = r####"id,conversation_id,referenced_tweets.replied_to.id,referenced_tweets.retweeted.id,referenced_tweets.quoted.id,author_id,in_reply_to_user_id,in_reply_to_username,retweeted_user_id,retweeted_username,quoted_user_id,quoted_username,created_at,text,lang,source,public_metrics.impression_count,public_metrics.reply_count,public_metrics.retweet_count,public_metrics.quote_count,public_metrics.like_count,public_metrics.bookmark_count,reply_settings,edit_history_tweet_ids,edit_controls.edits_remaining,edit_controls.editable_until,edit_controls.is_edit_eligible,possibly_sensitive,withheld.scope,withheld.copyright,withheld.country_codes,entities.annotations,entities.cashtags,entities.hashtags,entities.mentions,entities.urls,context_annotations,attachments.media,attachments.media_keys,attachments.poll.duration_minutes,attachments.poll.end_datetime,attachments.poll.id,attachments.poll.options,attachments.poll.voting_status,attachments.poll_ids,author.id,author.created_at,author.username,author.name,author.description,author.entities.description.cashtags,author.entities.description.hashtags,author.entities.description.mentions,author.entities.description.urls,author.entities.url.urls,author.url,author.location,author.pinned_tweet_id,author.profile_image_url,author.protected,author.public_metrics.followers_count,author.public_metrics.following_count,author.public_metrics.listed_count,author.public_metrics.tweet_count,author.verified,author.verified_type,author.withheld.scope,author.withheld.copyright,author.withheld.country_codes,geo.coordinates.coordinates,geo.coordinates.type,geo.country,geo.country_code,geo.full_name,geo.geo.bbox,geo.geo.type,geo.id,geo.name,geo.place_id,geo.place_type,matching_rules,__twarc.retrieved_at,__twarc.url,__twarc.version
1440716895355764743,1440716895355764743,,,,4203239195,,,,,,,2021-09-22T16:37:29.000Z,"The same Labour MPs that were happy to cite party members wanting a #PeoplesVote to pressure Corbyn into changing Labour's #Brexit policy are now saying party members are too thick to be trusted to choose the next Labour leader.\n\nTypical ""centrists"". No principles.",en,Twitter Web App,,0,0,0,0,,everyone,,,,,False,,,,"[{""start"": 9, ""end"": 18, ""probability"": 0.4677, ""type"": ""Organization"", ""normalized_text"": ""Labour MPs""}, {""start"": 93, ""end"": 98, ""probability"": 0.5337, ""type"": ""Person"", ""normalized_text"": ""Corbyn""}]",,"[""#PeoplesVote"", ""#Brexit""]",,,"[{""domain"": {""id"": ""10"", ""name"": ""Person"", ""description"": ""Named people in the world like Nelson Mandela""}, ""entity"": {""id"": ""847090575954272256"", ""name"": ""Jeremy Corbyn"", ""description"": ""Leader of the UK Labour Party Jeremy Corbyn""}}, {""domain"": {""id"": ""35"", ""name"": ""Politician"", ""description"": ""Politicians in the world, like Joe Biden""}, ""entity"": {""id"": ""847090575954272256"", ""name"": ""Jeremy Corbyn"", ""description"": ""Leader of the UK Labour Party Jeremy Corbyn""}}]",,,,,,,,,4203239195,2015-11-16T17:03:41.000Z,WarmongerHodges,Frank Owen's Legendary Paintbrush 🟨🟥🥀🇵🇸,Supporter of Jeremy Corbyn's Peace and Justice Project and the Northern Independence Party\n\n#VoteNIP\n#FreePalestine\n#HugAWhippet,,"[""#VoteNIP"", ""#FreePalestine"", ""#HugAWhippet""]",,,,,,1440708780543541255,https://pbs.twimg.com/profile_images/1435898557765128194/A7emuWRL_normal.jpg,False,34920,3552,142,108443,False,,,,,,,,,,,,,,,,,2021-09-22T16:38:09+00:00,https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100,2.5.0
1440716856763977732,1440716856763977732,,1440713161355583489,,4100727022,,,711945679,carolJhedges,,,2021-09-22T16:37:20.000Z,". #BorisJohnson has revealed his favourite bottle of wine, Tignanello costs £180 \nHe's happy to see the £20 taken from your #UniversalCredit \nSTILL feel 'levelled up'?\nSTILL think he cares about your life?\nStill, he 'got #Brexit done' eh?\n\n#brexit #JohnsonOut #BorisTheLiar https://t.co/IeqDhr3WET",en,Twitter Web App,,1,22,0,20,,everyone,,,,,False,,,,"[{""start"": 59, ""end"": 68, ""probability"": 0.338, ""type"": ""Product"", ""normalized_text"": ""Tignanello""}]",,"[""#BorisJohnson"", ""#UniversalCredit"", ""#Brexit"", ""#brexit"", ""#JohnsonOut"", ""#BorisTheLiar""]",,"[""https://twitter.com/carolJhedges/status/1440713161355583489/photo/1""]","[{""domain"": {""id"": ""65"", ""name"": ""Interests and Hobbies Vertical"", ""description"": ""Top level interests and hobbies groupings, like Food or Travel""}, ""entity"": {""id"": ""825047692124442624"", ""name"": ""Food"", ""description"": ""Food""}}, {""domain"": {""id"": ""65"", ""name"": ""Interests and Hobbies Vertical"", ""description"": ""Top level interests and hobbies groupings, like Food or Travel""}, ""entity"": {""id"": ""834828264786898945"", ""name"": ""Drinks"", ""description"": ""Drinks""}}, {""domain"": {""id"": ""66"", ""name"": ""Interests and Hobbies Category"", ""description"": ""A grouping of interests and hobbies entities, like Novelty Food or Destinations""}, ""entity"": {""id"": ""834828445238431744"", ""name"": ""Generic Drinks"", ""description"": ""Generic Drinks""}}, {""domain"": {""id"": ""67"", ""name"": ""Interests and Hobbies"", ""description"": ""Interests, opinions, and behaviors of individuals, groups, or cultures; like Speciality Cooking or Theme Parks""}, ""entity"": {""id"": ""841378993408425985"", ""name"": ""Wine"", ""description"": ""Wine""}}, {""domain"": {""id"": ""10"", ""name"": ""Person"", ""description"": ""Named people in the world like Nelson Mandela""}, ""entity"": {""id"": ""857212166100754432"", ""name"": ""Boris Johnson"", ""description"": ""Prime Minister""}}, {""domain"": {""id"": ""35"", ""name"": ""Politician"", ""description"": ""Politicians in the world, like Joe Biden""}, ""entity"": {""id"": ""857212166100754432"", ""name"": ""Boris Johnson"", ""description"": ""Prime Minister""}}]",[{}],"[""3_1440712838427799560""]",,,,,,,4100727022,2015-11-02T23:37:36.000Z,jacquip537,"Jacqui Pritchard,#RejoinEU #FBPE #JohnsonOut",Please no DM's unless by invitation. Sorry but there some sick people out there.,,,,,,,North Wiltshire,,https://pbs.twimg.com/profile_images/1293246200666365952/DiAj-zZC_normal.jpg,False,2485,3080,1,50315,False,,,,,,,,,,,,,,,,,2021-09-22T16:38:09+00:00,https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100,2.5.0
1440716830826369027,1440716830826369027,,1440713161355583489,,1957104799,,,711945679,carolJhedges,,,2021-09-22T16:37:14.000Z,". #BorisJohnson has revealed his favourite bottle of wine, Tignanello costs £180 \nHe's happy to see the £20 taken from your #UniversalCredit \nSTILL feel 'levelled up'?\nSTILL think he cares about your life?\nStill, he 'got #Brexit done' eh?\n\n#brexit #JohnsonOut #BorisTheLiar https://t.co/IeqDhr3WET",en,Twitter Web App,,1,22,0,20,,everyone,,,,,False,,,,"[{""start"": 59, ""end"": 68, ""probability"": 0.338, ""type"": ""Product"", ""normalized_text"": ""Tignanello""}]",,"[""#BorisJohnson"", ""#UniversalCredit"", ""#Brexit"", ""#brexit"", ""#JohnsonOut"", ""#BorisTheLiar""]",,"[""https://twitter.com/carolJhedges/status/1440713161355583489/photo/1""]","[{""domain"": {""id"": ""65"", ""name"": ""Interests and Hobbies Vertical"", ""description"": ""Top level interests and hobbies groupings, like Food or Travel""}, ""entity"": {""id"": ""825047692124442624"", ""name"": ""Food"", ""description"": ""Food""}}, {""domain"": {""id"": ""65"", ""name"": ""Interests and Hobbies Vertical"", ""description"": ""Top level interests and hobbies groupings, like Food or Travel""}, ""entity"": {""id"": ""834828264786898945"", ""name"": ""Drinks"", ""description"": ""Drinks""}}, {""domain"": {""id"": ""66"", ""name"": ""Interests and Hobbies Category"", ""description"": ""A grouping of interests and hobbies entities, like Novelty Food or Destinations""}, ""entity"": {""id"": ""834828445238431744"", ""name"": ""Generic Drinks"", ""description"": ""Generic Drinks""}}, {""domain"": {""id"": ""67"", ""name"": ""Interests and Hobbies"", ""description"": ""Interests, opinions, and behaviors of individuals, groups, or cultures; like Speciality Cooking or Theme Parks""}, ""entity"": {""id"": ""841378993408425985"", ""name"": ""Wine"", ""description"": ""Wine""}}, {""domain"": {""id"": ""10"", ""name"": ""Person"", ""description"": ""Named people in the world like Nelson Mandela""}, ""entity"": {""id"": ""857212166100754432"", ""name"": ""Boris Johnson"", ""description"": ""Prime Minister""}}, {""domain"": {""id"": ""35"", ""name"": ""Politician"", ""description"": ""Politicians in the world, like Joe Biden""}, ""entity"": {""id"": ""857212166100754432"", ""name"": ""Boris Johnson"", ""description"": ""Prime Minister""}}]",[{}],"[""3_1440712838427799560""]",,,,,,,1957104799,2013-10-12T17:03:31.000Z,HAMM8R,Ham ⭐⭐ #FBPE 🏴󠁧󠁢󠁥󠁮󠁧󠁿🇪🇺,"Performance Mgmt specialist, Poker enthusiast, Pizza lover and Chelsea fan. This combined with strong views against, Brexit, Bojo, Trump & Religion!",,,,,,,"Northamptonshire, UK",,https://pbs.twimg.com/profile_images/952171103698505728/YiE2LRld_normal.jpg,False,3479,4994,3,4115,False,,,,,,,,,,,,,,,,,2021-09-22T16:38:09+00:00,https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100,2.5.0
1440715975020584960,1440715975020584960,,,1440660748275834882,102658803,,,,,963465855538524162,paulafr68963440,2021-09-22T16:33:50.000Z,And @AngelaRayner &amp; #NicolaSturgeon blame #Brexit..🤣🤣🤣! https://t.co/XVlaGrnmko,en,Twitter for iPhone,,0,0,0,0,,everyone,,,,,False,,,,,,"[""#NicolaSturgeon"", ""#Brexit""]","[""@AngelaRayner""]","[""https://twitter.com/paulafr68963440/status/1440660748275834882""]","[{""domain"": {""id"": ""10"", ""name"": ""Person"", ""description"": ""Named people in the world like Nelson Mandela""}, ""entity"": {""id"": ""847089607623655425"", ""name"": ""Nicola Sturgeon"", ""description"": ""Nicola Sturgeon""}}, {""domain"": {""id"": ""10"", ""name"": ""Person"", ""description"": ""Named people in the world like Nelson Mandela""}, ""entity"": {""id"": ""857231813118382081"", ""name"": ""Angela Rayner"", ""description"": ""Angela Rayner""}}, {""domain"": {""id"": ""35"", ""name"": ""Politician"", ""description"": ""Politicians in the world, like Joe Biden""}, ""entity"": {""id"": ""847089607623655425"", ""name"": ""Nicola Sturgeon"", ""description"": ""Nicola Sturgeon""}}, {""domain"": {""id"": ""35"", ""name"": ""Politician"", ""description"": ""Politicians in the world, like Joe Biden""}, ""entity"": {""id"": ""857231813118382081"", ""name"": ""Angela Rayner"", ""description"": ""Angela Rayner""}}]",,,,,,,,,102658803,2010-01-07T12:07:58.000Z,Munku1,John Daramy -🇸🇱🇬🇧🏴󠁧󠁢󠁳󠁣󠁴󠁿😷,"Just because I ‘Follow’ you doesn’t necessarily mean I like or agree with you and, (j)ournalist! And.. I suffer fools gladly! Tongue-In-Cheek!",,,,,,,Chesterfield,,https://pbs.twimg.com/profile_images/1414863375226580992/G4Ro5KR3_normal.jpg,False,528,469,29,29043,False,,,,,,,,,,,,,,,,,2021-09-22T16:38:09+00:00,https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100,2.5.0
1440716745577140229,1440621713281093641,1440621713281093641,,,870028999,1717521084,AndrewKnight226,,,,,2021-09-22T16:36:54.000Z,"@AndrewKnight226 #FuckBrexit #BrexitSucks I wonder what do those imbeciles who voted for #Brexit think now about #BrexitDisaster #BrexitChaos #Brexitshortages!… Well, donkeys CAN’T think, but at least they feel #hunger!… 😜 Sadly, not only #Brexit donkeys suffer!.. You can always return!… 🇪🇺✊🏻 https://t.co/yEzXqfxRrp",en,Twitter for iPhone,,0,0,0,0,,everyone,,,,,False,,,,,,"[""#FuckBrexit"", ""#BrexitSucks"", ""#Brexit"", ""#BrexitDisaster"", ""#BrexitChaos"", ""#Brexitshortages"", ""#hunger"", ""#Brexit""]","[""@AndrewKnight226""]","[""https://twitter.com/calin_a/status/1440716745577140229/photo/1""]",,"[{""height"": 200, ""media_key"": ""16_1440716736051830786"", ""width"": 320, ""preview_image_url"": ""https://pbs.twimg.com/tweet_video_thumb/E_50PPpUYAIE3uX.jpg"", ""type"": ""animated_gif""}]","[""16_1440716736051830786""]",,,,,,,870028999,2012-10-09T14:51:11.000Z,calin_a,Calin A. 🇪🇺#FBPE #Rezist #LebanonInOurHearts,"Those who’d give up essential liberty to purchase a little temporary safety, deserve neither liberty nor safety! The day we give in is the day we DIE!",,,,,"[""http://wordsagainstswords.home.blog""]",http://wordsagainstswords.home.blog,,,https://pbs.twimg.com/profile_images/845573619015135232/mVy1TiDr_normal.jpg,False,1150,1448,4,67373,False,,,,,,,,,,,,,,,,,2021-09-22T16:38:09+00:00,https://api.twitter.com/2/tweets/search/recent?expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id%2Centities.mentions.username%2Cattachments.poll_ids%2Cattachments.media_keys%2Cgeo.place_id&user.fields=created_at%2Cdescription%2Centities%2Cid%2Clocation%2Cname%2Cpinned_tweet_id%2Cprofile_image_url%2Cprotected%2Cpublic_metrics%2Curl%2Cusername%2Cverified%2Cwithheld&tweet.fields=attachments%2Cauthor_id%2Ccontext_annotations%2Cconversation_id%2Ccreated_at%2Centities%2Cgeo%2Cid%2Cin_reply_to_user_id%2Clang%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource%2Cwithheld&media.fields=alt_text%2Cduration_ms%2Cheight%2Cmedia_key%2Cpreview_image_url%2Ctype%2Curl%2Cwidth%2Cpublic_metrics&poll.fields=duration_minutes%2Cend_datetime%2Cid%2Coptions%2Cvoting_status&place.fields=contained_within%2Ccountry%2Ccountry_code%2Cfull_name%2Cgeo%2Cid%2Cname%2Cplace_type&query=%23brexit&max_results=100,2.5.0
"####;

fn read_text(text: &str) -> (Dataset, tamis_spread::input::FileReport) {
    let mut file = tempfile::NamedTempFile::new().expect("temp");
    file.write_all(text.as_bytes()).expect("write");
    let mut dataset = Dataset::default();
    let report = read_file(file.path(), &Filter::default(), &mut dataset, &|_| {}).expect("read");
    dataset.finish();
    (dataset, report)
}

#[test]
fn twarc_csv_rows() {
    let (dataset, report) = read_text(TWARC_CSV);
    assert_eq!(report.format, Format::TwarcCsv);
    assert_eq!(report.records, 5);
    assert_eq!(report.posts, 5);
    assert_eq!(report.malformed, 0);
    let kinds: Vec<PostKind> = {
        let mut by_id: Vec<(i64, PostKind)> =
            dataset.posts.iter().map(|p| (p.time, p.kind)).collect();
        by_id.sort_by_key(|(t, _)| *t);
        by_id.into_iter().map(|(_, k)| k).collect()
    };
    assert_eq!(
        kinds,
        [
            PostKind::Quote,
            PostKind::Reply,
            PostKind::Retweet,
            PostKind::Retweet,
            PostKind::Original
        ]
    );
    // Both retweets share one tweet, whose author twarc-csv names.
    let shared = dataset.objects.get("1440713161355583489").expect("object");
    assert_eq!(
        dataset.posts.iter().filter(|p| p.shared == shared).count(),
        2
    );
    let author = &dataset.accounts[dataset.object_authors[&shared] as usize];
    assert_eq!(author.screen_name.as_deref(), Some("carolJhedges"));
    let tags: Vec<&str> = dataset.posts[4]
        .hashtags
        .iter()
        .map(|&t| dataset.tags.name(t))
        .collect();
    assert_eq!(tags, ["peoplesvote", "brexit"]);
}

/// The same tweets read from twarc-csv and from the API's JSON say the same
/// thing, field by field.
#[test]
fn twarc_csv_agrees_with_the_json_it_came_from() {
    let (csv, _) = read_text(TWARC_CSV);
    let (json, _) = read_all(&[PathBuf::from(BREXIT)], &Filter::default(), &|_| {}).expect("read");
    for post in &csv.posts {
        let account = &csv.accounts[post.account as usize];
        let twin = json
            .posts
            .iter()
            .find(|p| p.time == post.time && json.accounts[p.account as usize].key == account.key)
            .expect("the same tweet in the JSON");
        let json_account = &json.accounts[twin.account as usize];
        assert_eq!(post.kind, twin.kind);
        let name = |d: &Dataset, o: u32| (o != NONE).then(|| d.objects.name(o).to_owned());
        assert_eq!(name(&csv, post.shared), name(&json, twin.shared));
        assert_eq!(csv.langs.name(post.lang), json.langs.name(twin.lang));
        assert_eq!(post.text_hash, twin.text_hash, "text of {}", account.key);
        let tags = |d: &Dataset, p: &tamis_spread::Post| -> Vec<String> {
            p.hashtags
                .iter()
                .map(|&t| d.tags.name(t).to_owned())
                .collect()
        };
        assert_eq!(tags(&csv, post), tags(&json, twin));
        let urls = |d: &Dataset, p: &tamis_spread::Post| -> Vec<String> {
            p.urls.iter().map(|&u| d.urls.name(u).to_owned()).collect()
        };
        assert_eq!(urls(&csv, post), urls(&json, twin));
        assert_eq!(account.screen_name, json_account.screen_name);
        assert_eq!(account.created_at, json_account.created_at);
        assert_eq!(account.followers, json_account.followers);
        assert_eq!(account.friends, json_account.friends);
        assert_eq!(account.statuses, json_account.statuses);
        assert_eq!(account.verified, json_account.verified);
        assert_eq!(account.location, json_account.location);
        assert_eq!(account.default_image, json_account.default_image);
    }
}

const ARCHIVE: &str = "tweetid,userid,user_display_name,user_screen_name,user_reported_location,user_profile_description,user_profile_url,follower_count,following_count,account_creation_date,account_language,tweet_language,tweet_text,tweet_time,tweet_client_name,in_reply_to_userid,in_reply_to_tweetid,quoted_tweet_tweetid,is_retweet,retweet_userid,retweet_tweetid,latitude,longitude,quote_count,reply_count,like_count,retweet_count,hashtags,urls,user_mentions,poll_choices
860559000000000001,2531111111,Jenna,jenna_abrams,\"Washington, DC\",bio,,70000,2000,2014-10-02,en,fr,\"#MacronLeaks les documents
sur pastebin https://t.co/aaa\",2017-05-05 18:45,Twitter Web Client,,,,False,,,absent,absent,0,0,3,12,\"[MacronLeaks, France]\",[https://pastebin.com/abc/?utm_source=x],[],
860559000000000002,6e0c0f0a8e5f9c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d,6e0c0f0a8e5f9c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d,6e0c0f0a8e5f9c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d,,,,12,40,2017-04-30,en,fr,RT @jenna_abrams: #MacronLeaks les documents sur pastebin,2017-05-05 18:46,Twitter for Android,,,,True,2531111111,860559000000000001,absent,absent,0,0,0,0,[MacronLeaks],[],[2531111111],
860559000000000003,2531111111,Jenna,jenna_abrams,\"Washington, DC\",bio,,70001,2000,2014-10-02,en,en,look at this,2017-05-05 19:00,Twitter Web Client,,,860559000000000002,False,,,absent,absent,0,0,0,0,[],[],[],
860559000000000004,2531111112,Bob,bob,,,,5,5,2017-05-01,fr,fr,d'accord,2017-05-05 19:01,Twitter Web Client,2531111111,860559000000000003,,False,,,absent,absent,0,0,0,0,[],[],[],
860559000000000005,2531111112,Bob,bob,,,,5,5,2017-05-01,fr,fr,broken time,2017-05-05 25:01,Twitter Web Client,,,,False,,,absent,absent,0,0,0,0,[],[],[],
";

#[test]
fn archive_rows() {
    let (dataset, report) = read_text(ARCHIVE);
    assert_eq!(report.format, Format::IoArchiveCsv);
    assert_eq!(report.records, 5);
    assert_eq!(report.posts, 4);
    assert_eq!(report.malformed, 1);
    // The first row spans lines 2-3 (a newline in its text).
    assert_eq!(report.malformed_lines[0].line, 7);
    assert!(report.malformed_lines[0].reason.contains("25:01"));

    let kinds: Vec<PostKind> = dataset.posts.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [
            PostKind::Original,
            PostKind::Retweet,
            PostKind::Quote,
            PostKind::Reply
        ]
    );
    let [original, retweet, quote, _] = &dataset.posts[..] else {
        panic!("four posts");
    };
    assert_eq!(original.time, 1_494_009_900);
    let jenna = &dataset.accounts[original.account as usize];
    assert_eq!(jenna.key, "2531111111");
    assert_eq!(jenna.screen_name.as_deref(), Some("jenna_abrams"));
    assert_eq!(jenna.location.as_deref(), Some("Washington, DC"));
    assert_eq!(jenna.followers, Some(70_001), "the latest row wins");
    assert_eq!(jenna.friends, Some(2_000));
    assert_eq!(jenna.created_at, Some(1_412_208_000));
    assert_eq!(jenna.lang.as_deref(), Some("en"));
    assert_eq!(jenna.country, None);
    let tags: Vec<&str> = original
        .hashtags
        .iter()
        .map(|&t| dataset.tags.name(t))
        .collect();
    assert_eq!(tags, ["macronleaks", "france"]);
    let urls: Vec<&str> = original
        .urls
        .iter()
        .map(|&u| dataset.urls.name(u))
        .collect();
    assert_eq!(urls, ["https://pastebin.com/abc"]);
    assert_eq!(dataset.langs.name(original.lang), "fr");

    // The retweet shares the original, which is in the archive itself: it
    // is marked as a shared object, with its time and author.
    assert_eq!(retweet.text_hash, original.text_hash);
    assert_eq!(retweet.shared, original.object);
    assert_ne!(original.object, NONE);
    assert_eq!(dataset.object_times[&retweet.shared], original.time);
    assert_eq!(dataset.object_authors[&retweet.shared], original.account);
    let anonymous = &dataset.accounts[retweet.account as usize];
    assert_eq!(anonymous.key.len(), 64);
    assert_eq!(dataset.objects.name(quote.shared), "860559000000000002");
    assert_eq!(retweet.object, quote.shared);
}
