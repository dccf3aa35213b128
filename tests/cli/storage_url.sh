# storage_url.sh HPO: an empty or malformed --storage URL is an error
# (exit 2, one line), never a study kept in memory and thrown away: an
# unset $URL in a script must not run a whole study into nothing with
# exit 0.  In-memory storage is there when asked for by name; without
# --storage the default sqlite:///hpo.db is used.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# 1. Empty: every command refuses it before doing anything.
for cmd in "tune --study s -n 1 -p x=float:0:1 -- echo 1" "worker --study s" \
    "studies" "best --study s" "trials --study s" "enqueue --study s -p x=1" \
    "delete-study --study s --yes"; do
    read -r name args <<<"$cmd"
    run "$HPO" "$name" --storage "" $args
    expect_eq "$name --storage '': exit 2" "$RC" 2
    expect_eq "$name --storage '': one clear line" "$ERR" \
        "hpo $name: --storage '': empty storage URL (for a storage in memory, say memory:)"
    expect_eq "$name --storage '': nothing on stdout" "$OUT" ""
done

# 2. Malformed URLs are errors too (exit 2), each naming the URL.
for url in " " "file.db" "sqlite:" "sqlite://a.db" "sqlite:///" "memory:x" "://"; do
    run "$HPO" tune --storage "$url" --study s -n 1 -p x=float:0:1 -- echo 1
    expect_eq "--storage '$url': exit 2" "$RC" 2
    expect_match "--storage '$url': named" "$ERR" "^hpo tune: --storage '$url': "
    expect_eq "--storage '$url': no study ran" "$OUT" ""
done

# 3. In memory when asked for by name.
for url in memory: memory memory:// "sqlite:///:memory:"; do
    run "$HPO" tune --storage "$url" --study m -n 2 -p x=float:0:1 -- echo 1
    expect_eq "--storage $url: runs" "$RC" 0
    expect_match "--storage $url: says where" "$ERR" "hpo: study m in $url"
done

# 4. No --storage: the default file in the working directory.
if have_sqlite; then
    mkdir default && cd default
    run "$HPO" tune --study d -n 2 -p x=float:0:1 -- echo 1
    expect_eq "default storage: runs" "$RC" 0
    expect_match "default storage: says where" "$ERR" "hpo: study d in sqlite:///hpo.db"
    run "$HPO" studies --storage sqlite:///hpo.db
    expect_match "default storage: the study is in ./hpo.db" "$OUT" $'\nd +minimize +2'
    cd ..
fi
finish
