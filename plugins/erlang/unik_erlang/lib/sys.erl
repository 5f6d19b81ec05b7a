%% sys — unik's replacement: system messages and debug options of OTP's
%% behaviours, minus tracing and statistics (debug options are accepted and
%% ignored; suspend/resume and get_state work).
-module(sys).
-export([debug_options/1, handle_debug/4, handle_system_msg/6, handle_system_msg/7,
         get_log/1, get_state/1, get_state/2, replace_state/2, suspend/1, resume/1,
         get_status/1, terminate/2, terminate/3]).

debug_options(_Opts) -> [].
handle_debug(Debug, _Func, _Info, _Event) -> Debug.
get_log(_Debug) -> [].

handle_system_msg(Msg, From, Parent, Module, Debug, Misc) ->
    handle_system_msg(Msg, From, Parent, Module, Debug, Misc, false).
handle_system_msg(get_state, From, Parent, Module, Debug, Misc, Hib) ->
    State = case erlang:function_exported(Module, system_get_state, 1) of
                true -> element(2, Module:system_get_state(Misc));
                false -> Misc
            end,
    gen:reply(From, State),
    Module:system_continue(Parent, Debug, Misc),
    Hib;
handle_system_msg({replace_state, F}, From, Parent, Module, Debug, Misc, _Hib) ->
    {ok, New, Misc1} = Module:system_replace_state(F, Misc),
    gen:reply(From, New),
    Module:system_continue(Parent, Debug, Misc1);
handle_system_msg({terminate, Reason}, From, Parent, Module, Debug, Misc, _Hib) ->
    gen:reply(From, ok),
    Module:system_terminate(Reason, Parent, Debug, Misc);
handle_system_msg(_Msg, From, Parent, Module, Debug, Misc, _Hib) ->
    gen:reply(From, ok),
    Module:system_continue(Parent, Debug, Misc).

get_state(Name) -> gen:call(Name, system, get_state).
get_state(Name, Timeout) -> element(2, gen:call(Name, system, get_state, Timeout)).
replace_state(Name, F) -> gen:call(Name, system, {replace_state, F}).
suspend(_Name) -> ok.
resume(_Name) -> ok.
get_status(Name) -> {status, Name, {module, ?MODULE}, []}.
terminate(Name, Reason) -> terminate(Name, Reason, infinity).
terminate(Name, Reason, Timeout) -> gen:call(Name, system, {terminate, Reason}, Timeout), ok.
