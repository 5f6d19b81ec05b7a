%% code — unik's replacement for OTP's code server: everything a unikernel
%% runs was linked in at build time, so every module in the image is loaded
%% and none can be added.
-module(code).
-export([ensure_loaded/1, ensure_modules_loaded/1, is_loaded/1, which/1,
         load_file/1, get_path/0, all_loaded/0, root_dir/0, lib_dir/0, priv_dir/1]).

ensure_loaded(M) when is_atom(M) ->
    case erlang:module_loaded(M) of
        true -> {module, M};
        false -> {error, nofile}
    end.
ensure_modules_loaded(Ms) when is_list(Ms) ->
    case [{M, nofile} || M <- Ms, not erlang:module_loaded(M), not linked_as_needed(M)] of
        [] -> ok;
        Bad -> {error, Bad}
    end.

%% OTP's formatting modules, which io_lib:format checks with
%% ensure_modules_loaded after a bad format (to tell a missing module from a
%% bad argument): the image holds the parts of them the program can run — a
%% module none of whose functions is reachable is left out — so they count
%% as loaded and the caller gets erl's badarg.
linked_as_needed(M) ->
    lists:member(M, [io_lib_format, io_lib_pretty, io_lib_fread, string, unicode]).
is_loaded(M) ->
    case erlang:module_loaded(M) of
        true -> {file, preloaded};
        false -> false
    end.
which(M) ->
    case erlang:module_loaded(M) of
        true -> preloaded;
        false -> non_existing
    end.
load_file(M) -> ensure_loaded(M).
get_path() -> [].
all_loaded() -> [].
root_dir() -> "/".
lib_dir() -> "/lib".
priv_dir(_) -> {error, bad_name}.
