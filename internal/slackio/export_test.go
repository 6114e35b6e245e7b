package slackio

// TakeBack hands msg to socket i's lane as the connection of a socket
// slack-go has closed does with a message written on it.
func (a *App) TakeBack(i int, msg []byte) { a.lanes[i].takeBack(msg) }
