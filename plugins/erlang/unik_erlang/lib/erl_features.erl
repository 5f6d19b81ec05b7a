%% erl_features — unik's replacement: a unikernel runs with OTP 25's default
%% set of language features (no experimental feature enabled), so there are
%% no extra keywords. OTP's module reads this from the boot configuration.
-module(erl_features).
-export([keywords/0, keywords/1, enabled/0, configurable/0, all/0, used/1,
         is_valid_feature/1]).

keywords() -> [].
keywords(_Feature) -> [].
enabled() -> [].
configurable() -> [maybe_expr].
all() -> [maybe_expr].
used(_Module) -> [].
is_valid_feature(F) -> F =:= maybe_expr.
