-module(gen_crash).
-behaviour(gen_server).
-export([start/0, where/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).
%% A gen_server whose handle_call crashes: the caller gets the exit, the
%% crash report goes to stderr (gen_server formats it with process_info of the
%% caller), and the program goes on. Then process_info/1,2 items themselves,
%% and badarg from bad io format strings.
start() ->
    {ok, P} = gen_server:start(?MODULE, 0, []),
    Ref = erlang:monitor(process, P),
    1 = gen_server:call(P, bump),
    case catch gen_server:call(P, crash) of
        {'EXIT', {{Reason, Stack}, {gen_server, call, [P, crash]}}} ->
            io:format("caller got ~p, stack is a list: ~p~n", [Reason, is_list(Stack)])
    end,
    receive
        {'DOWN', Ref, process, P, {R, _}} -> io:format("DOWN ~p~n", [R])
    end,
    io:format("alive: ~p~n", [is_process_alive(P)]),
    {ok, Q} = gen_server:start({local, second}, ?MODULE, 5, []),
    io:format("second: ~p~n", [gen_server:call(second, bump)]),
    {'EXIT', {{badarith, [Div | _]}, {gen_server, call, [Q, {divide, 0}]}}} =
        (catch gen_server:call(Q, {divide, 0})),
    io:format("badarith in ~p~n", [frame_mfa(Div)]),
    io:format("~p~n", [process_info(self(), [registered_name, message_queue_len])]),
    io:format("~p~n", [process_info(self(), registered_name)]),
    register(gen_crash_main, self()),
    self() ! hello,
    io:format("~p~n", [process_info(self(), [registered_name, message_queue_len, messages])]),
    receive hello -> ok end,
    io:format("~p~n", [process_info(self(), [status, priority])]),
    [{current_stacktrace, [Top | _]}] = process_info(self(), [current_stacktrace]),
    io:format("top frame: ~p~n", [frame_mfa(Top)]),
    {current_function, CF} = process_info(self(), current_function),
    io:format("current_function: ~p~n", [CF]),
    W = spawn(?MODULE, where, []),
    receive after 10 -> ok end,
    io:format("~p~n", [process_info(W, [initial_call, status, current_function, trap_exit])]),
    {current_stacktrace, [WTop | _]} = process_info(W, current_stacktrace),
    io:format("waiting in: ~p~n", [frame_mfa(WTop)]),
    F = spawn_link(fun() -> receive stop -> ok end end),
    M = erlang:monitor(process, W),
    io:format("~p~n", [process_info(F, initial_call)]),
    {links, Links} = process_info(self(), links),
    io:format("links ~p monitors ~p~n",
              [lists:member(F, Links),
               process_info(self(), monitors) =:= {monitors, [{process, W}]}]),
    io:format("monitored_by ~p~n", [process_info(W, monitored_by) =:= {monitored_by, [self()]}]),
    put(key, value),
    {dictionary, D} = process_info(self(), dictionary),
    io:format("dictionary has key: ~p~n", [lists:member({key, value}, D)]),
    Sizes = process_info(self(), [heap_size, total_heap_size, memory, reductions, stack_size]),
    io:format("sizes are integers: ~p~n", [[K || {K, V} <- Sizes, is_integer(V), V >= 0]]),
    All = process_info(self()),
    io:format("process_info/1 keys: ~p~n", [[K || {K, _} <- All]]),
    erlang:demonitor(M, [flush]),
    W ! stop, F ! stop,
    receive after 10 -> ok end,
    io:format("dead: ~p ~p~n", [process_info(W, status), process_info(W, [status])]),
    io:format("~p~n", [catch_badarg(fun() -> process_info(self(), no_such_item) end)]),
    io:format("~p~n", [catch_badarg(fun() -> process_info(self(), [status, no_such_item]) end)]),
    io:format("~p~n", [catch_badarg(fun() -> process_info(not_a_pid, status) end)]),
    io:format("~p~n", [catch_badarg(fun() -> process_info(W, no_such_item) end)]),
    io:format("~p~n", [element(1, catch io_lib:format("~x", [foo]))]),
    io:format("~p~n", [catch_badarg(fun() -> io_lib:format("~x", [foo]) end)]),
    io:format("~p~n", [catch_badarg(fun() -> io:format("~d~n", [not_an_integer]) end)]),
    io:format("~p~n", [catch_badarg(fun() -> io:fwrite("~p ~p~n", [one]) end)]),
    io:format("~p~n", [catch_badarg(fun() -> io_lib:format("~s", [[1 | 2]]) end)]),
    io:format("done~n").

catch_badarg(F) ->
    try F() of _ -> no_error
    catch error:badarg:S -> {badarg, frame_mfa(hd(S))}
    end.

frame_mfa({M, F, A, _}) when is_list(A) -> {M, F, length(A)};
frame_mfa({M, F, A, _}) -> {M, F, A}.

where() -> receive stop -> ok end.

init(N) -> {ok, N}.
handle_call(bump, _From, N) -> {reply, N + 1, N + 1};
handle_call(crash, _From, _N) -> erlang:error(crashed_on_purpose);
handle_call({divide, D}, _From, N) -> {reply, N div D, N}.
handle_cast(_, N) -> {noreply, N}.
handle_info(_, N) -> {noreply, N}.
terminate(_Reason, _N) -> ok.
